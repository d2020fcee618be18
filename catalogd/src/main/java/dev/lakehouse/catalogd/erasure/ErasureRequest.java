package dev.lakehouse.catalogd.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.DatasetNames;
import dev.lakehouse.common.error.BadRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/erasure}, read strictly (a user's request): {@code subject} is a label for the audit log (a ticket
 * number, never the person's name: the log keeps it), {@code datasets} a SQL predicate per dataset, {@code vectors}
 * the item ids (or a metadata filter) per index.
 */
record ErasureRequest(String subject, Map<String, String> datasets, Map<String, JsonNode> vectors, Boolean dryRun) {
    static final int MAX_SUBJECT = 200;
    static final int MAX_IDS = 10_000;
    static final Pattern INDEX_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }

    /** The validated request: datasets and indexes in the order given, ids as strings. */
    record Valid(String subject, Map<String, String> datasets, Map<String, Target> vectors, boolean dryRun) {}

    /** What to erase from one index: the items named ({@code ids}) or those a metadata {@code filter} matches. */
    record Target(List<String> ids, JsonNode filter) {}

    Valid validate() {
        if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT) {
            throw new BadRequest("subject is required: a label of 1 to " + MAX_SUBJECT
                    + " characters for the audit log (e.g. a ticket number; not the person's name)");
        }
        Map<String, String> ds = new LinkedHashMap<>();
        if (datasets != null) {
            datasets.forEach((name, predicate) -> {
                DatasetNames.require(name);
                if (predicate == null || predicate.isBlank()) {
                    throw new BadRequest("datasets." + name + " must be a SQL predicate over that dataset, e.g. candidate_id = 'c-123'");
                }
                ds.put(name, predicate);
            });
        }
        Map<String, Target> vs = new LinkedHashMap<>();
        if (vectors != null) {
            vectors.forEach((index, ids) -> {
                if (!INDEX_NAME.matcher(index).matches()) {
                    throw new BadRequest("vectors: '" + index + "' is not an index name (" + INDEX_NAME.pattern() + ")");
                }
                if (ids != null && ids.isObject()) {
                    // {"filter": …}: the search filter language (ADR 0025), validated by vectord at the start check
                    JsonNode filter = ids.get("filter");
                    if (ids.size() != 1 || filter == null || !(filter.isObject() || filter.isTextual())) {
                        throw new BadRequest("vectors." + index + " must be a list of item ids or {\"filter\": <a search"
                                + " filter: JSON object or filter text>}");
                    }
                    vs.put(index, new Target(null, filter));
                    return;
                }
                if (ids == null || !ids.isArray()) {
                    throw new BadRequest("vectors." + index + " must be a list of item ids or {\"filter\": …}");
                }
                if (ids.isEmpty() || ids.size() > MAX_IDS) {
                    throw new BadRequest("vectors." + index + " must list 1 to " + MAX_IDS + " item ids");
                }
                List<String> list = new ArrayList<>();
                for (JsonNode id : ids) {
                    if (!id.isTextual() || id.asText().isEmpty() || id.asText().length() > 512) {
                        throw new BadRequest("vectors." + index + ": every id must be a string of 1 to 512 characters");
                    }
                    list.add(id.asText());
                }
                vs.put(index, new Target(list, null));
            });
        }
        if (ds.isEmpty() && vs.isEmpty()) {
            throw new BadRequest("name at least one dataset (datasets) or vector index (vectors) to erase from");
        }
        return new Valid(subject, ds, vs, isDryRun());
    }
}
