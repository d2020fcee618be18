package dev.lakehouse.systest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** What a user's client does through the gateway: raw status + body, no typed mapping (we judge statuses). */
final class Api {
    static final MediaType JSON = MediaType.get("application/json");
    static final MediaType OCTETS = MediaType.get("application/octet-stream");
    static final MediaType CSV = MediaType.get("text/csv");

    record Reply(int status, byte[] body) {
        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(body);
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final String gateway;
    private final String token;
    /** Answers that replayed an earlier request's outcome ({@code Idempotent-Replayed: true}). */
    final java.util.concurrent.atomic.AtomicLong replays = new java.util.concurrent.atomic.AtomicLong();
    private final OkHttpClient http;

    Api(String gateway) {
        this.gateway = gateway;
        this.token = System.getenv("LAKEHOUSE_TOKEN");
        this.http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(3))
                .readTimeout(Duration.ofSeconds(60))
                .retryOnConnectionFailure(false)
                .build();
    }

    Reply send(String method, String path, RequestBody body) throws IOException {
        return send(method, path, body, null);
    }

    /** With an {@code Idempotency-Key} (null: none), as a client retrying an unacknowledged write sends it. */
    Reply send(String method, String path, RequestBody body, String idempotencyKey) throws IOException {
        Request.Builder b = new Request.Builder().url(gateway + path).method(method, body);
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token);
        }
        try (Response r = http.newCall(b.build()).execute()) {
            if ("true".equals(r.header("Idempotent-Replayed"))) {
                replays.incrementAndGet();
            }
            return new Reply(r.code(), r.body().bytes());
        }
    }

    Reply get(String path) throws IOException {
        return send("GET", path, null);
    }

    Reply delete(String path) throws IOException {
        return send("DELETE", path, null);
    }

    Reply put(String path, byte[] bytes) throws IOException {
        return send("PUT", path, RequestBody.create(bytes, OCTETS));
    }

    Reply postJson(String path, Object body) throws IOException {
        return send("POST", path, RequestBody.create(Json.bytes(body), JSON));
    }

    Reply postCsv(String path, String csv) throws IOException {
        return send("POST", path, RequestBody.create(csv, CSV));
    }

    /** Creates the l2 index {@code name} of {@code dim} dimensions (the chaos runs'), or fails the run. */
    void createL2Index(String name, int dim) throws IOException {
        LoadCheck.require(postJson("/v1/vectors/index", java.util.Map.of("name", name, "dim", dim, "distance", "l2")),
                "create index " + name);
    }
}
