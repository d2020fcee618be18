package dev.lakehouse.embedd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.client.EmbedClient;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.PayloadTooLarge;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.EmbedResponse;
import dev.lakehouse.common.model.ModelInfo;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** embedd with the real in-process ONNX model, over HTTP and through the typed client. */
class EmbedApiTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet SERVICES = new TestFleet(S3).with(Service.EMBEDD, EmbeddMain::start, Map.of("embedd.max_batch", "8", "embedd.max_text_chars", "2000",
            "http.max_json_body_bytes", "100000"));
    static Path dataDir;
    static ServiceApp app;
    static EmbedClient client;
    static final FleetCredential FLEET = S3.credential();
    static final OkHttpClient http = FLEET.signing(new OkHttpClient());

    @BeforeAll
    static void start() {
        app = SERVICES.app(Service.EMBEDD);
        dataDir = S3.tempDir().resolve("embedd");
        client = new EmbedClient(app.baseUrl(), FLEET);
    }

    static Response post(String json) throws IOException {
        return http.newCall(new Request.Builder().url(app.baseUrl() + "/embed")
                .post(RequestBody.create(json, MediaType.get("application/json"))).build()).execute();
    }

    static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void modelsReportsTheInProcessModel() {
        ModelInfo info = client.model();
        assertEquals(new ModelInfo("all-minilm-l6-v2-q", 384, "onnx"), info);
    }

    @Test
    void embedsABatchInOrderWithUnitVectors() {
        List<String> texts = List.of("How do I reset my password?", "A recipe for banana bread",
                "How do I reset my password?");
        EmbedResponse r = client.embed(texts);
        assertEquals("all-minilm-l6-v2-q", r.model());
        assertEquals(384, r.dim());
        assertEquals(3, r.vectors().size());
        for (float[] v : r.vectors()) {
            assertEquals(384, v.length);
            assertEquals(1.0, dot(v, v), 1e-3, "normalised");
        }
        assertArrayEquals(r.vectors().get(0), r.vectors().get(2), 1e-6f, "same text, same vector");
        assertTrue(dot(r.vectors().get(0), r.vectors().get(1)) < 0.5, "unrelated texts are far apart");
    }

    @Test
    void closestTextIsTheSemanticMatch() {
        List<String> docs = List.of(
                "Account recovery: if you forgot your login credentials, use the 'Forgot password' link to get a reset email.",
                "Preheat the oven to 180 degrees and bake the banana bread for fifty minutes.",
                "The quarterly sales report shows revenue growth in the northern region.",
                "Our office is closed on public holidays.");
        float[] q = client.embed(List.of("I can't sign in, how do I change my password?")).vectors().get(0);
        List<float[]> d = client.embed(docs).vectors();
        int best = 0;
        for (int i = 1; i < d.size(); i++) {
            if (dot(q, d.get(i)) > dot(q, d.get(best))) {
                best = i;
            }
        }
        assertEquals(0, best, "the login-recovery text is nearest");
    }

    @Test
    void singleTextEqualsTheSameTextInABatch() throws IOException {
        try (Response r = post("{\"text\":\"vector databases\"}")) {
            assertEquals(200, r.code());
            JsonNode body = Json.MAPPER.readTree(r.body().string());
            assertEquals(1, body.get("vectors").size());
            float[] single = Json.MAPPER.treeToValue(body.get("vectors").get(0), float[].class);
            float[] batched = client.embed(List.of("other", "vector databases")).vectors().get(1);
            assertArrayEquals(batched, single, 1e-5f);
        }
    }

    @Test
    void batchLargerThanOneChunkKeepsOrder() {
        // 8 texts split across the workers: each vector must still belong to its own text
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            texts.add("sentence number " + i + " about " + (i % 2 == 0 ? "cats" : "stock markets"));
        }
        List<float[]> batch = client.embed(texts).vectors();
        for (int i = 0; i < 8; i++) {
            float[] alone = client.embed(List.of(texts.get(i))).vectors().get(0);
            assertArrayEquals(alone, batch.get(i), 1e-5f, "text " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"texts\":[]}",
        "{\"texts\":[\"ok\", 42]}",
        "{\"texts\":[\"ok\", null]}",
        "{\"texts\":\"not a list\"}",
        "{\"text\":\"a\",\"texts\":[\"b\"]}",
        "{}",
        "{\"text\":\"   \"}",
        "{\"text\":7}",
        "{\"prompt\":\"x\"}",
        "[\"x\"]",
        "{\"texts\":[\"unterminated",
        ""})
    void badInputIs400WithAJsonError(String body) throws IOException {
        try (Response r = post(body)) {
            assertEquals(400, r.code(), body);
            JsonNode err = Json.MAPPER.readTree(r.body().string());
            assertEquals(400, err.get("status").asInt());
            assertTrue(err.get("error").asText().length() > 5, err.toString());
        }
    }

    @Test
    void errorsNameTheOffendingItem() throws IOException {
        try (Response r = post("{\"texts\":[\"ok\", 42]}")) {
            assertTrue(r.body().string().contains("texts[1]"));
        }
    }

    @Test
    void batchAboveMaxIs413() throws IOException {
        String nine = Json.write(Map.of("texts", Stream.generate(() -> "t").limit(9).toList()));
        try (Response r = post(nine)) {
            assertEquals(413, r.code());
            JsonNode err = Json.MAPPER.readTree(r.body().string());
            assertEquals(8, err.get("max_batch").asInt());
            assertEquals(ErrorCodes.BATCH_TOO_LARGE, err.get("code").asText());
        }
        assertThrows(PayloadTooLarge.class, () -> client.embed(List.of("a".repeat(2001))));
    }

    @Test
    void bodyAboveTheCapIs413DeclaredOrChunked() throws IOException {
        String huge = "{\"text\":\"" + "x".repeat(200_000) + "\"}";
        try (Response r = post(huge)) {
            assertEquals(413, r.code(), "declared Content-Length over the cap");
            assertTrue(r.body().string().contains("max_body_bytes"));
        }
        RequestBody chunked = new RequestBody() {
            @Override
            public MediaType contentType() {
                return MediaType.get("application/json");
            }

            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void writeTo(okio.BufferedSink sink) throws IOException {
                sink.writeUtf8(huge);
            }
        };
        try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + "/embed").post(chunked).build()).execute()) {
            assertEquals(413, r.code(), "chunked body passing the cap while read");
            assertTrue(r.body().string().contains("max_body_bytes"));
        }
    }

    @Test
    void clientMapsErrorsToTypedExceptions() {
        assertThrows(BadRequest.class, () -> client.embed(List.of()));
    }

    @Test
    void djlUnpacksItsNativeLibraryUnderTheDataDirAndNotHome() throws IOException {
        Path djl = dataDir.resolve("embedd").resolve("djl");
        try (Stream<Path> files = Files.walk(djl)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("libtokenizers")),
                    "libtokenizers unpacked under " + djl);
        }
        assertEquals(djl.toAbsolutePath().toString(), System.getProperty("DJL_CACHE_DIR"));
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertEquals(dataDir.resolve("embedd").resolve("jna").toAbsolutePath().toString(), System.getProperty("jna.tmpdir"));
    }
}
