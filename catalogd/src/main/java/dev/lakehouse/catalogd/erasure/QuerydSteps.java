package dev.lakehouse.catalogd.erasure;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.client.ServiceClient;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.routes.Routes;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/** queryd's erasure steps: the predicate runs there, behind its SQL guard, never in catalogd. */
final class QuerydSteps extends ServiceClient {
    record Count(String key, long matching) {}

    record Rewritten(String key, long rows, long bytes, String etag, long removed) {
        FileEntry entry() {
            return new FileEntry(key, rows, bytes, etag);
        }
    }

    QuerydSteps(String baseUrl, OkHttpClient http, FleetCredential credential) {
        super("queryd", baseUrl, http, credential);
    }

    long count(String dataset, FileEntry file, String predicate) {
        return call(post(Routes.ERASURE_QUERYD_COUNT, body(dataset, file, predicate, null)), Count.class).matching();
    }

    Rewritten rewrite(String dataset, FileEntry file, String predicate, String targetKey) {
        return call(post(Routes.ERASURE_QUERYD_REWRITE, body(dataset, file, predicate, targetKey)), Rewritten.class);
    }

    void evict(String dataset) {
        call(post(Routes.ERASURE_QUERYD_EVICT, Map.of("dataset", dataset)), Map.class);
    }

    private static Map<String, Object> body(String dataset, FileEntry file, String predicate, String targetKey) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("dataset", dataset);
        b.put("file", new FileEntry(file.key(), file.rows(), file.bytes(), file.etag()));
        b.put("predicate", predicate);
        if (targetKey != null) {
            b.put("target_key", targetKey);
        }
        return b;
    }

    private Request post(String path, Object body) {
        return new Request.Builder().url(url(path).build()).post(json(body)).build();
    }
}
