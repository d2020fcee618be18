package dev.lakehouse.queryd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Small HTTP helpers for queryd tests. */
final class Http {
    private Http() {}

    record Reply(int code, String contentType, Map<String, String> headers, byte[] body) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + code + "): " + text(), e);
            }
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** POST {@code {"sql": sql}} to {@code url} (which includes any query string). */
    static Reply sql(String url, String sql) {
        return post(url, Json.write(Map.of("sql", sql)), "application/json", null);
    }

    static Reply post(String url, String body, String contentType, String accept) {
        Request.Builder b = new Request.Builder().url(url).post(RequestBody.create(body, MediaType.get(contentType)));
        if (accept != null) {
            b.header("Accept", accept);
        }
        try (Response r = Lake.HTTP.newCall(b.build()).execute()) {
            Map<String, String> headers = new java.util.HashMap<>();
            r.headers().forEach(p -> headers.put(p.getFirst().toLowerCase(java.util.Locale.ROOT), p.getSecond()));
            return new Reply(r.code(), r.header("Content-Type"), headers, r.body().bytes());
        } catch (IOException e) {
            throw new AssertionError("POST " + url + " failed: " + e.getMessage(), e);
        }
    }
}
