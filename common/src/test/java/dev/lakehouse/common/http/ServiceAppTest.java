package dev.lakehouse.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.SecretsFile;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.error.Conflict;
import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class ServiceAppTest {
    static final FleetCredential CREDENTIAL = FleetCredential.generate();
    static final OkHttpClient http = CREDENTIAL.signing(new OkHttpClient());
    static final OkHttpClient anonymous = new OkHttpClient();
    @TempDir
    static Path dir;
    record Thing(String name, int count) {}

    static Config config() {
        Path secrets = dir.resolve("secrets.toml");
        SecretsFile.write(secrets, CREDENTIAL.toToml());
        return Config.of(Map.of("http.shutdown_hook", "false", "secrets_file", secrets.toString()));
    }

    static ServiceApp app(Runnable onStop) {
        return ServiceApp.builder(Service.CATALOGD, config())
                .port(0)
                .routes(r -> {
                    r.get("/conflict", ctx -> {
                        throw new Conflict("schema drift", Map.of("expected", List.of("a"), "got", List.of("b")));
                    });
                    r.post("/thing", ctx -> ctx.json(ctx.bodyAsClass(Thing.class)));
                    r.get("/boom", ctx -> {
                        throw new IllegalStateException("secret internals");
                    });
                    r.get("/slow", ctx -> {
                        Thread.sleep(1500);
                        ctx.result("done");
                    });
                })
                .onStop(onStop)
                .start();
    }

    static JsonNode get(String url, int expectStatus) throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(url).build()).execute()) {
            assertEquals(expectStatus, r.code());
            assertEquals("catalogd", r.header(ServiceApp.SERVICE_HEADER));
            return Json.MAPPER.readTree(r.body().string());
        }
    }

    @Test
    void healthAndErrorModel() throws IOException {
        try (ServiceApp app = app(() -> {})) {
            JsonNode h = get(app.baseUrl() + "/health", 200);
            assertEquals("ok", h.get("status").asText());
            assertEquals("catalogd", h.get("service").asText());
            assertTrue(h.at("/heap/peak").asLong() > 0);

            JsonNode c = get(app.baseUrl() + "/conflict", 409);
            assertEquals("schema drift", c.get("error").asText());
            assertEquals(409, c.get("status").asInt());
            assertEquals("b", c.at("/got/0").asText());

            JsonNode boom = get(app.baseUrl() + "/boom", 500);
            assertFalse(boom.toString().contains("secret internals"), "no internals leak: " + boom);
            assertFalse(boom.toString().contains("at dev.lakehouse"), "no stack trace: " + boom);

            get(app.baseUrl() + "/nothing/here", 404);

            for (String bad : List.of("{", "{\"name\":\"x\",\"count\":\"many\"}", "{\"name\":\"x\",\"count\":1,\"extra\":2}", "")) {
                try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + "/thing")
                        .post(RequestBody.create(bad, MediaType.get("application/json"))).build()).execute()) {
                    assertEquals(400, r.code(), "body " + bad);
                    JsonNode e = Json.MAPPER.readTree(r.body().string());
                    assertEquals(400, e.get("status").asInt());
                    assertFalse(e.get("error").asText().isBlank());
                }
            }
        }
    }

    @Test
    void aBackendAnswersOnlyHealthToACallerWithoutTheFleetCredential() throws IOException {
        try (ServiceApp app = app(() -> {})) {
            for (String token : new String[] {null, "wrong", CREDENTIAL.headerValue() + "x"}) {
                Request.Builder b = new Request.Builder().url(app.baseUrl() + "/conflict");
                if (token != null) {
                    b.header(FleetCredential.HEADER, token);
                }
                try (Response r = anonymous.newCall(b.build()).execute()) {
                    assertEquals(401, r.code(), "token " + token);
                    JsonNode e = Json.MAPPER.readTree(r.body().string());
                    assertEquals("fleet_credential_required", e.get("code").asText());
                }
            }
            try (Response r = anonymous.newCall(new Request.Builder().url(app.baseUrl() + "/health").build()).execute()) {
                assertEquals(200, r.code(), "health stays open for probes");
            }
            get(app.baseUrl() + "/conflict", 409);
        }
    }

    @Test
    void aBackendRefusesToStartWithoutAFleetCredential() {
        Path secrets = dir.resolve("no-fleet.toml");
        SecretsFile.write(secrets, "[s3.primary]\nendpoint = \"x\"\n");
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> ServiceApp.builder(Service.CATALOGD, Config.of(Map.of("http.shutdown_hook", "false",
                        "secrets_file", secrets.toString()))).port(0).start());
        assertTrue(e.getMessage().contains("fleet.internal_token"), e.getMessage());
    }

    @Test
    void errorsJettyAnswersItselfAreJsonToo() throws IOException {
        try (ServiceApp app = app(() -> {})) {
            Request huge = new Request.Builder().url(app.baseUrl() + "/health").header("X-Big", "x".repeat(64 * 1024)).build();
            try (Response r = http.newCall(huge).execute()) {
                assertEquals(431, r.code());
                String text = r.body().string();
                JsonNode e = Json.MAPPER.readTree(text);
                assertEquals(431, e.get("status").asInt());
                assertFalse(e.get("error").asText().isBlank());
            }
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", app.port())) {
                s.getOutputStream().write("GARBAGE\r\n\r\n".getBytes());
                String resp = new String(s.getInputStream().readAllBytes());
                assertTrue(resp.startsWith("HTTP/1.1 400"), resp);
                assertTrue(resp.contains("\"status\":400"), resp);
            }
            // bad UTF-8 in the path and a huge header on a POST with a body: also Jetty's own answers
            for (String raw : new String[] {"POST /th%C3%28ing HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
                    "PUT /thing HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(70_000) + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"}) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", app.port())) {
                    s.getOutputStream().write(raw.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                    String resp = new String(s.getInputStream().readAllBytes());
                    assertTrue(resp.contains("application/json") && resp.matches("(?s).*\"status\":4\\d\\d.*"), resp);
                }
            }
        }
    }

    @Test
    void closeDrainsInFlightRequestsThenRunsStopHooks() throws Exception {
        AtomicBoolean hookRan = new AtomicBoolean();
        ServiceApp app = app(() -> hookRan.set(true));
        CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> {
            try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + "/slow").build()).execute()) {
                return r.code() + ":" + r.body().string();
            } catch (IOException e) {
                return "failed: " + e;
            }
        });
        Thread.sleep(300);
        app.close();
        assertEquals("200:done", inFlight.get());
        assertTrue(hookRan.get());
    }

    @Test
    void aServiceRefusesToStartOnAKeyOfItsOwnThatNothingReads() {
        Config config = config().with(Map.of("http.drain_timout", "5s"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ServiceApp.builder(Service.CATALOGD, config).port(0).start().close());
        assertTrue(e.getMessage().contains("'http.drain_timout'") && e.getMessage().contains("did you mean 'http.drain_timeout'"),
                e.getMessage());
    }
}
