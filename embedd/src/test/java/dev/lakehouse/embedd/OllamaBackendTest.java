package dev.lakehouse.embedd;

import dev.lakehouse.common.auth.FleetCredential;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** embedd configured for Ollama, against an in-test server speaking Ollama's /api/embed. */
class OllamaBackendTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;
    static final FleetCredential FLEET = FleetCredential.generate();
    static final OkHttpClient http = FLEET.signing(new OkHttpClient());
    FakeOllama ollama;
    final List<ServiceApp> apps = new ArrayList<>();

    @BeforeEach
    void startOllama() {
        ollama = new FakeOllama(Set.of("nomic-embed-text"), 768);
    }

    @AfterEach
    void stop() {
        apps.forEach(ServiceApp::close);
        ollama.close();
    }

    ServiceApp embedd(String ollamaUrl, Map<String, String> extra) {
        Map<String, String> cfg = new HashMap<>(Map.of(
                "embedd.port", "0", "http.shutdown_hook", "false",
                "embedd.backend", "ollama", "embedd.ollama_url", ollamaUrl,
                "embedd.model", "nomic-embed-text", "embedd.dim", "768", "embedd.ollama_backoff", "10ms"));
        cfg.putAll(extra);
        cfg.put("secrets_file", FLEET.writeSecretsFile(dir.resolve("secrets.toml")).toString());
        ServiceApp app = EmbeddMain.start(Config.of(cfg));
        apps.add(app);
        return app;
    }

    static Response post(ServiceApp app, String json) throws IOException {
        return http.newCall(new Request.Builder().url(app.baseUrl() + "/embed")
                .post(RequestBody.create(json, MediaType.get("application/json"))).build()).execute();
    }

    static JsonNode json(Response r) throws IOException {
        return Json.MAPPER.readTree(r.body().string());
    }

    @Test
    void embedsThroughOllamaWithItsWireFormat() throws IOException {
        ServiceApp app = embedd(ollama.url(), Map.of());
        try (Response r = post(app, "{\"texts\":[\"alpha\",\"beta\"]}")) {
            assertEquals(200, r.code());
            JsonNode body = json(r);
            assertEquals("nomic-embed-text", body.get("model").asText());
            assertEquals(768, body.get("dim").asInt());
            assertEquals(2, body.get("vectors").size());
            assertEquals(768, body.get("vectors").get(1).size());
            assertEquals(FakeOllama.expected("beta", 5), body.get("vectors").get(1).get(5).floatValue(), 1e-6);
        }
        JsonNode sent = ollama.requests.get(0);
        assertEquals("nomic-embed-text", sent.get("model").asText());
        assertTrue(sent.get("input").isArray());
        assertEquals("alpha", sent.get("input").get(0).asText());
        assertEquals(1, ollama.requests.size(), "one Ollama call per request: Ollama batches itself");
        try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + "/embed/models").build()).execute()) {
            JsonNode m = json(r);
            assertEquals("nomic-embed-text", m.get("model").asText());
            assertEquals(768, m.get("dim").asInt());
            assertEquals("ollama", m.get("backend").asText());
        }
    }

    @Test
    void unknownBackendOrBadOllamaSettingsFailAtStart() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> EmbeddMain.backend(Config.of(Map.of("embedd.backend", "bert"))));
        assertTrue(e.getMessage().contains("onnx or ollama"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> EmbeddMain.backend(
                Config.of(Map.of("embedd.backend", "ollama", "embedd.ollama_url", "not a url"))));
    }

    @Test
    void missingModelIs502SayingToPullIt() throws IOException {
        ServiceApp app = embedd(ollama.url(), Map.of("embedd.model", "mxbai-embed-large"));
        try (Response r = post(app, "{\"text\":\"x\"}")) {
            assertEquals(502, r.code());
            String err = json(r).get("error").asText();
            assertTrue(err.contains("not found, try pulling it first"), err);
            assertTrue(err.contains("ollama pull mxbai-embed-large"), err);
        }
        assertEquals(1, ollama.requests.size(), "a 404 is not retried");
    }

    @Test
    void transient5xxIsRetriedWithinTheBound() throws IOException {
        ServiceApp app = embedd(ollama.url(), Map.of("embedd.ollama_retries", "2"));
        ollama.fail5xx.set(2);
        try (Response r = post(app, "{\"text\":\"x\"}")) {
            assertEquals(200, r.code());
        }
        assertEquals(3, ollama.requests.size(), "two 500s, then the answer");
        ollama.requests.clear();
        ollama.fail5xx.set(5);
        try (Response r = post(app, "{\"text\":\"x\"}")) {
            assertEquals(502, r.code());
            assertTrue(json(r).get("error").asText().contains("llama runner process has terminated"));
        }
        assertEquals(3, ollama.requests.size(), "1 try + 2 retries, no more");
    }

    @Test
    void ollamaDownIs502NamingIt() throws IOException {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        ServiceApp app = embedd("http://127.0.0.1:" + dead, Map.of());
        long t0 = System.nanoTime();
        try (Response r = post(app, "{\"text\":\"x\"}")) {
            assertEquals(502, r.code());
            String err = json(r).get("error").asText();
            assertTrue(err.contains("unreachable") && err.contains("ollama"), err);
        }
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "fails fast, retries are bounded");
    }

    @Test
    void wrongDimensionFromOllamaIs502() throws IOException {
        ServiceApp app = embedd(ollama.url(), Map.of());
        ollama.answerDim = 1024;
        try (Response r = post(app, "{\"text\":\"x\"}")) {
            assertEquals(502, r.code());
            assertTrue(json(r).get("error").asText().contains("1024-d"));
        }
    }

    @Test
    void slowOllamaIs504() throws IOException {
        ServiceApp app = embedd(ollama.url(), Map.of("embedd.ollama_timeout", "300ms"));
        ollama.delayMs = 1500;
        try (Response r = post(app, "{\"text\":\"x\"}")) {
            assertEquals(504, r.code());
        }
        assertEquals(1, ollama.requests.size(), "a read timeout is not retried");
    }

    @Test
    void overflowBeyondWorkersAndQueueIs503WithRetryAfter() throws Exception {
        ServiceApp app = embedd(ollama.url(), Map.of("embedd.workers", "1", "embedd.queue", "1"));
        ollama.delayMs = 800;
        ExecutorService clients = Executors.newFixedThreadPool(5);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                results.add(clients.submit(() -> {
                    try (Response r = post(app, "{\"text\":\"x\"}")) {
                        String retry = r.header("Retry-After");
                        return new int[] {r.code(), retry == null ? -1 : Integer.parseInt(retry)};
                    }
                }));
            }
            int ok = 0;
            int busy = 0;
            for (Future<int[]> f : results) {
                int[] r = f.get();
                if (r[0] == 200) {
                    ok++;
                } else {
                    assertEquals(503, r[0]);
                    assertEquals(1, r[1], "Retry-After");
                    busy++;
                }
            }
            assertTrue(ok >= 2, "one running + one queued succeed: " + ok);
            assertTrue(busy >= 1, "the rest are refused at once: " + busy);
            assertEquals(ok, ollama.requests.size(), "refused requests never reach Ollama");
        } finally {
            clients.shutdownNow();
        }
    }
}
