package dev.lakehouse.embedd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.model.ModelInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The two embedding APIs other clients already speak, translated to and from embedd's own: OpenAI's
 * {@code POST /v1/embeddings} (LangChain, LlamaIndex, the openai SDKs) and Ollama's {@code POST /api/embed}.
 * Same backend, same limits and the same validation of each text as {@code /embed} ({@link EmbedInput}).
 *
 * <p>Never silently another model: a request naming a model this embedd does not serve is a 404
 * {@code model_not_found} (as both APIs answer), not an answer from a different model under the asked name.
 * Fields of those APIs that would change the vectors and that embedd cannot honour ({@code dimensions} other
 * than the model's, token-array inputs, Ollama's {@code truncate: true}) are refused with 400.
 */
final class CompatShapes {
    static final String MODEL_NOT_FOUND = "model_not_found";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> OPENAI_FIELDS = Set.of("model", "input", "encoding_format", "dimensions", "user");
    private static final Set<String> OLLAMA_FIELDS = Set.of("model", "input", "truncate", "options", "keep_alive", "dimensions");

    private CompatShapes() {}

    /** An OpenAI request's texts, after checking its model, dimensions and encoding. */
    record OpenAiRequest(List<String> texts, boolean base64) {}

    static OpenAiRequest openAi(JsonNode body, ModelInfo served, int maxBatch, int maxChars) {
        requireObject(body, OPENAI_FIELDS, "{\"model\":\"" + served.model() + "\",\"input\":[\"...\"]}");
        requireModel(body, served, false);
        requireDimensions(body, served);
        String encoding = body.hasNonNull("encoding_format") ? body.get("encoding_format").asText() : "float";
        if (!encoding.equals("float") && !encoding.equals("base64")) {
            throw new BadRequest("\"encoding_format\" must be \"float\" or \"base64\", got '" + encoding + "'");
        }
        return new OpenAiRequest(texts(body, maxBatch, maxChars), encoding.equals("base64"));
    }

    static List<String> ollama(JsonNode body, ModelInfo served, int maxBatch, int maxChars) {
        requireObject(body, OLLAMA_FIELDS, "{\"model\":\"" + served.model() + "\",\"input\":[\"...\"]}");
        requireModel(body, served, true);
        requireDimensions(body, served);
        // Ollama cuts over-long input when asked to; embedd never embeds a cut text (over-long ones are a 413)
        if (body.has("truncate") && body.get("truncate").isBoolean() && body.get("truncate").booleanValue()) {
            throw new BadRequest("\"truncate\": true is not supported: embedd never embeds a cut text; send "
                    + "\"truncate\": false or omit it (over-long texts are refused with 413)");
        }
        return texts(body, maxBatch, maxChars);
    }

    /** OpenAI's response: {@code {"object":"list","data":[{"object":"embedding","index","embedding"}],"model","usage"}}. */
    static ObjectNode openAiResponse(ModelInfo info, List<float[]> vectors, boolean base64, OptionalInt tokens) {
        ObjectNode out = F.objectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode d = data.addObject();
            d.put("object", "embedding");
            d.put("index", i);
            if (base64) {
                d.put("embedding", base64(vectors.get(i)));
            } else {
                floats(d.putArray("embedding"), vectors.get(i));
            }
        }
        out.put("model", info.model());
        if (tokens.isPresent()) { // a backend that cannot count says nothing rather than a made-up figure
            ObjectNode usage = out.putObject("usage");
            usage.put("prompt_tokens", tokens.getAsInt());
            usage.put("total_tokens", tokens.getAsInt());
        }
        return out;
    }

    /** Ollama's response: {@code {"model","embeddings":[[...]],"total_duration","prompt_eval_count"}} (durations in ns). */
    static ObjectNode ollamaResponse(ModelInfo info, List<float[]> vectors, long nanos, OptionalInt tokens) {
        ObjectNode out = F.objectNode();
        out.put("model", info.model());
        ArrayNode embeddings = out.putArray("embeddings");
        vectors.forEach(v -> floats(embeddings.addArray(), v));
        out.put("total_duration", nanos);
        out.put("load_duration", 0);
        tokens.ifPresent(t -> out.put("prompt_eval_count", t));
        return out;
    }

    private static void floats(ArrayNode into, float[] v) {
        for (float f : v) {
            into.add(f);
        }
    }

    /** OpenAI's base64 encoding: the float32 values, little-endian. */
    static String base64(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static void requireObject(JsonNode body, Set<String> fields, String example) {
        if (body == null || !body.isObject()) {
            throw new BadRequest("body must be a JSON object: " + example);
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw new BadRequest("unknown field '" + f + "'; expected " + String.join(", ", new java.util.TreeSet<>(fields)));
            }
        }
    }

    private static void requireModel(JsonNode body, ModelInfo served, boolean required) {
        if (!body.hasNonNull("model")) {
            if (required) {
                throw new BadRequest("\"model\" is required (this embedd serves '" + served.model() + "')");
            }
            return;
        }
        String asked = body.get("model").asText();
        String bare = asked.endsWith(":latest") ? asked.substring(0, asked.length() - ":latest".length()) : asked;
        if (!bare.equals(served.model())) {
            throw new NotFound("model '" + asked + "' is not served here; this embedd serves '" + served.model() + "'",
                    Map.of("code", MODEL_NOT_FOUND, "model", asked, "served", served.model()));
        }
    }

    private static void requireDimensions(JsonNode body, ModelInfo served) {
        if (body.hasNonNull("dimensions") && body.get("dimensions").asInt(-1) != served.dim()) {
            throw new BadRequest("\"dimensions\": " + body.get("dimensions") + " is not supported: '" + served.model()
                    + "' makes " + served.dim() + "-d vectors (a shortened vector would be a different embedding)");
        }
    }

    /** {@code input}: one string or a list of strings, each validated as {@code /embed} validates its texts. */
    private static List<String> texts(JsonNode body, int maxBatch, int maxChars) {
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) {
            throw new BadRequest("missing \"input\" (a string or a list of strings)");
        }
        if (input.isArray() && !input.isEmpty() && (input.get(0).isNumber() || input.get(0).isArray())) {
            throw new BadRequest("token-array input is not supported; send the texts as strings");
        }
        ObjectNode asEmbed = F.objectNode();
        if (input.isArray()) {
            asEmbed.set("texts", input);
        } else {
            asEmbed.set("text", input);
        }
        try {
            return EmbedInput.texts(asEmbed, maxBatch, maxChars);
        } catch (BadRequest e) {
            throw new BadRequest(e.getMessage().replace("\"texts\"", "\"input\"").replace("texts[", "input[")
                    .replace("\"text\"", "\"input\""), e.details());
        }
    }
}
