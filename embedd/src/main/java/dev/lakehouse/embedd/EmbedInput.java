package dev.lakehouse.embedd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.PayloadTooLarge;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Validates a {@code POST /embed} body ({@code {"texts":[...]}} or {@code {"text":"..."}}, the shape of
 * {@link dev.lakehouse.common.model.EmbedRequest}) into the list of texts to embed. Read from the JSON tree
 * rather than bound to the record because Jackson would quietly turn {@code 42} into {@code "42"}.
 */
public final class EmbedInput {
    private EmbedInput() {}

    public static List<String> texts(JsonNode body, int maxBatch, int maxChars) {
        if (body == null || !body.isObject()) {
            throw new BadRequest("body must be a JSON object: {\"texts\":[\"...\"]} or {\"text\":\"...\"}");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("text") && !f.equals("texts")) {
                throw new BadRequest("unknown field '" + f + "'; expected \"texts\" or \"text\"");
            }
        }
        boolean hasText = body.has("text") && !body.get("text").isNull();
        boolean hasTexts = body.has("texts") && !body.get("texts").isNull();
        if (hasText == hasTexts) {
            throw new BadRequest(hasText ? "give either \"text\" or \"texts\", not both"
                    : "missing \"texts\" (a list of strings) or \"text\" (one string)");
        }
        List<String> out = new ArrayList<>();
        if (hasText) {
            out.add(one(body.get("text"), "text", maxChars));
            return out;
        }
        JsonNode list = body.get("texts");
        if (!list.isArray()) {
            throw new BadRequest("\"texts\" must be a list of strings, got " + list.getNodeType().name().toLowerCase());
        }
        if (list.isEmpty()) {
            throw new BadRequest("\"texts\" is empty; give at least one text");
        }
        if (list.size() > maxBatch) {
            throw new PayloadTooLarge(list.size() + " texts in one request; at most " + maxBatch
                    + " (embedd.max_batch) — split the batch", Map.of("code", ErrorCodes.BATCH_TOO_LARGE, "max_batch", maxBatch, "got", list.size()));
        }
        for (int i = 0; i < list.size(); i++) {
            out.add(one(list.get(i), "texts[" + i + "]", maxChars));
        }
        return out;
    }

    private static String one(JsonNode node, String where, int maxChars) {
        if (!node.isTextual()) {
            throw new BadRequest(where + " must be a string, got " + node.getNodeType().name().toLowerCase());
        }
        String s = node.textValue();
        if (s.isBlank()) {
            throw new BadRequest(where + " is blank; there is nothing to embed");
        }
        if (s.length() > maxChars) {
            throw new PayloadTooLarge(where + " has " + s.length() + " characters; at most " + maxChars
                    + " (embedd.max_text_chars)", Map.of("max_text_chars", maxChars));
        }
        return s;
    }
}
