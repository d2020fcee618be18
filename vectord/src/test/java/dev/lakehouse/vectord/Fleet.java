package dev.lakehouse.vectord;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.storaged.StoragedMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Real storaged + vectord in-process on the embedded S3, and a tiny JSON HTTP helper. */
final class Fleet implements AutoCloseable {
    static final OkHttpClient HTTP = S3Extension.signing(new OkHttpClient.Builder()
            .readTimeout(java.time.Duration.ofSeconds(60)).build());

    final S3Extension s3;
    final ServiceApp storaged;
    final Path tmp;
    ServiceApp vectord;
    final Map<String, String> extra = new HashMap<>();

    Fleet(S3Extension s3, Path tmp) {
        this.s3 = s3;
        this.tmp = tmp;
        storaged = StoragedMain.start(Config.of(Map.of("storaged.port", "0", "http.shutdown_hook", "false",
                "secrets_file", s3.secretsFile().toString())));
    }

    Config vectordConfig() {
        Map<String, String> c = new HashMap<>(Map.of("vectord.port", "0", "http.shutdown_hook", "false",
                "storaged.url", storaged.baseUrl(), "embedd.url", "http://127.0.0.1:9",
                "secrets_file", s3.secretsFile().toString(),
                "vectord.tmp_dir", tmp.toString()));
        c.putAll(extra);
        return Config.of(c);
    }

    /** Starts vectord and waits until it has loaded its indexes. */
    ServiceApp startVectord() {
        vectord = VectordMain.start(vectordConfig());
        long deadline = System.currentTimeMillis() + 60_000;
        while (call("GET", "/health", null).status != 200) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("vectord did not become ready: " + call("GET", "/health", null).body);
            }
            sleep(50);
        }
        return vectord;
    }

    void stopVectord() {
        if (vectord != null) {
            vectord.close();
            vectord = null;
        }
    }

    record Reply(int status, JsonNode body, boolean replayed) {}

    Reply call(String method, String path, Object json) {
        return call(vectord.baseUrl(), method, path, json);
    }

    Reply call(String method, String path, Object json, Map<String, String> headers) {
        return call(vectord.baseUrl(), method, path, json, headers);
    }

    static Reply call(String base, String method, String path, Object json) {
        return call(base, method, path, json, Map.of());
    }

    /** {@code replayed}: the answer carried {@code Idempotent-Replayed: true}. */
    static Reply call(String base, String method, String path, Object json, Map<String, String> headers) {
        RequestBody body = json == null ? (method.equals("POST") ? RequestBody.create(new byte[0]) : null)
                : RequestBody.create(json instanceof String s ? s.getBytes() : Json.bytes(json), MediaType.get("application/json"));
        Request.Builder rb = new Request.Builder().url(base + path).method(method, body);
        headers.forEach(rb::header);
        try (Response resp = HTTP.newCall(rb.build()).execute()) {
            byte[] b = resp.body().bytes();
            return new Reply(resp.code(), b.length == 0 ? null : Json.MAPPER.readTree(b),
                    "true".equals(resp.header("Idempotent-Replayed")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new RuntimeException(e);
        }
    }

    @Override
    public void close() {
        stopVectord();
        storaged.close();
    }
}
