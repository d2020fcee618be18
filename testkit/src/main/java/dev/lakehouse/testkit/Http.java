package dev.lakehouse.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** JSON calls to services under test, sending the fleet credential of {@link S3Extension} (ADR 0017). */
public final class Http {
    /** Sends the fleet credential on every request; reads may take a minute (a big export, a slow CI). */
    public static final OkHttpClient SIGNED = S3Extension.signing(new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(60)).build());

    private Http() {}

    /** A JSON answer ({@code body} null when empty) with its headers, names in lower case. */
    public record Reply(int status, JsonNode body, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The answer is a stored one ({@code Idempotent-Replayed: true}, ADR 0016). */
        public boolean replayed() {
            return "true".equals(header("Idempotent-Replayed"));
        }
    }

    public static Reply call(String base, String method, String path, Object json) {
        return call(base, method, path, json, Map.of());
    }

    /** {@code json}: a String is sent as is, anything else as Jackson writes it; null sends no body (an empty one for POST). */
    public static Reply call(String base, String method, String path, Object json, Map<String, String> headers) {
        RequestBody body = json == null ? (method.equals("POST") ? RequestBody.create(new byte[0]) : null)
                : RequestBody.create(json instanceof String s ? s.getBytes() : Json.bytes(json), MediaType.get("application/json"));
        Request.Builder rb = new Request.Builder().url(base + path).method(method, body);
        headers.forEach(rb::header);
        try (Response resp = SIGNED.newCall(rb.build()).execute()) {
            byte[] b = resp.body().bytes();
            Map<String, String> h = new LinkedHashMap<>();
            resp.headers().forEach(p -> h.put(p.getFirst().toLowerCase(Locale.ROOT), p.getSecond()));
            return new Reply(resp.code(), b.length == 0 ? null : Json.TOLERANT.readTree(b), h);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code url} answers 200 (a service loads its state before it is healthy). */
    public static void awaitOk(String url, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try (Response r = SIGNED.newCall(new Request.Builder().url(url).build()).execute()) {
                if (r.code() == 200) {
                    return;
                }
                last = r.code() + " " + r.body().string();
            } catch (IOException e) {
                last = e.toString(); // not listening yet
            }
            sleep(50);
        }
        throw new AssertionError(url + " did not answer 200 within " + timeout + ": " + last);
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
