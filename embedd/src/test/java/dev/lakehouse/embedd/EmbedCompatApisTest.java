package dev.lakehouse.embedd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.client.EmbedClient;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OpenAI's {@code /v1/embeddings} and Ollama's {@code /api/embed} shapes, with the request/response examples of
 * those APIs' own documentation (the model name swapped for the one embedd serves), giving the same vectors as
 * {@code /embed}.
 */
class EmbedCompatApisTest {
    static final String MODEL = OnnxBackend.MODEL;
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet SERVICES = new TestFleet(S3).with(Service.EMBEDD, EmbeddMain::start, Map.of("embedd.max_batch", "8"));
    static EmbedClient client;
    static final FleetCredential FLEET = S3.credential();
    static final OkHttpClient http = FLEET.signing(new OkHttpClient());

    @BeforeAll
    static void start() {
        client = new EmbedClient(SERVICES.url(Service.EMBEDD), FLEET);
    }

    record Reply(int status, JsonNode body) {}

    static Reply post(String path, String json) throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(SERVICES.url(Service.EMBEDD) + path)
                .post(RequestBody.create(json, MediaType.get("application/json"))).build()).execute()) {
            return new Reply(r.code(), Json.MAPPER.readTree(r.body().bytes()));
        }
    }

    static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) array.get(i).doubleValue();
        }
        return v;
    }

    @Test
    void openAisDocumentedRequestGetsItsDocumentedResponseShapeWithTheSameVectorsAsEmbed() throws IOException {
        String text = "The food was delicious and the waiter...";
        Reply r = post("/embeddings", "{\"input\": \"" + text + "\", \"model\": \"" + MODEL + "\", \"encoding_format\": \"float\"}");
        assertEquals(200, r.status(), r.body().toString());
        assertEquals("list", r.body().get("object").asText());
        assertEquals(MODEL, r.body().get("model").asText());
        JsonNode d = r.body().get("data").get(0);
        assertEquals("embedding", d.get("object").asText());
        assertEquals(0, d.get("index").asInt());
        assertArrayEquals(client.embed(List.of(text)).vectors().get(0), floats(d.get("embedding")), 1e-6f);
        JsonNode usage = r.body().get("usage");
        assertTrue(usage.get("prompt_tokens").asInt() >= 8, usage.toString()); // ~10 word pieces plus [CLS]/[SEP]
        assertEquals(usage.get("prompt_tokens").asInt(), usage.get("total_tokens").asInt());
    }

    @Test
    void openAiListInputKeepsOrderAndBase64IsLittleEndianFloat32() throws IOException {
        Reply floats = post("/embeddings", "{\"model\":\"" + MODEL + "\",\"input\":[\"first text\",\"second text\"]}");
        Reply b64 = post("/embeddings", "{\"model\":\"" + MODEL + "\",\"input\":[\"first text\",\"second text\"],\"encoding_format\":\"base64\"}");
        assertEquals(2, floats.body().get("data").size());
        for (int i = 0; i < 2; i++) {
            assertEquals(i, b64.body().get("data").get(i).get("index").asInt());
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(b64.body().get("data").get(i).get("embedding").asText()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            float[] decoded = new float[bytes.remaining() / 4];
            bytes.asFloatBuffer().get(decoded);
            assertArrayEquals(floats(floats.body().get("data").get(i).get("embedding")), decoded, 1e-6f);
        }
    }

    @Test
    void aModelThisEmbeddDoesNotServeIsA404NotAnotherModelsVectors() throws IOException {
        Reply r = post("/embeddings", "{\"input\": \"hi\", \"model\": \"text-embedding-ada-002\"}");
        assertEquals(404, r.status());
        assertEquals("model_not_found", r.body().get("code").asText());
        assertTrue(r.body().get("error").asText().contains(MODEL), r.body().toString());
        assertEquals(404, post("/api/embed", "{\"model\": \"all-minilm\", \"input\": \"Why is the sky blue?\"}").status());
    }

    @Test
    void whatWouldChangeTheVectorsIsRefused() throws IOException {
        assertEquals(400, post("/embeddings", "{\"model\":\"" + MODEL + "\",\"input\":\"hi\",\"dimensions\":256}").status());
        assertEquals(400, post("/embeddings", "{\"model\":\"" + MODEL + "\",\"input\":[[101, 2023]]}").status());
        assertEquals(400, post("/api/embed", "{\"model\":\"" + MODEL + "\",\"input\":\"hi\",\"truncate\":true}").status());
        Reply blank = post("/embeddings", "{\"model\":\"" + MODEL + "\",\"input\":[\"ok\",\" \"]}");
        assertEquals(400, blank.status());
        assertTrue(blank.body().get("error").asText().contains("input[1]"), blank.body().toString());
        assertEquals(413, post("/embeddings", "{\"model\":\"" + MODEL + "\",\"input\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]}").status());
    }

    @Test
    void ollamasDocumentedRequestsGetItsDocumentedResponseShape() throws IOException {
        Reply one = post("/api/embed", "{\"model\": \"" + MODEL + "\", \"input\": \"Why is the sky blue?\"}");
        assertEquals(200, one.status(), one.body().toString());
        assertEquals(MODEL, one.body().get("model").asText());
        assertEquals(1, one.body().get("embeddings").size());
        assertEquals(384, one.body().get("embeddings").get(0).size());
        assertTrue(one.body().get("total_duration").asLong() > 0);
        assertTrue(one.body().get("prompt_eval_count").asInt() > 0);
        assertArrayEquals(client.embed(List.of("Why is the sky blue?")).vectors().get(0),
                floats(one.body().get("embeddings").get(0)), 1e-6f);

        Reply two = post("/api/embed", "{\"model\": \"" + MODEL + ":latest\", \"input\": [\"Why is the sky blue?\", \"Why is the grass green?\"]}");
        assertEquals(200, two.status(), two.body().toString());
        assertEquals(2, two.body().get("embeddings").size());
        assertEquals(400, post("/api/embed", "{\"input\": \"no model\"}").status());
    }

    static double metric(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    static String scrape() throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(SERVICES.url(Service.EMBEDD) + "/metrics").build()).execute()) {
            return r.body().string();
        }
    }

    @Test
    void metricsCountTheTextsEmbeddedAndNameTheModel() throws IOException {
        double before = metric(scrape(), "embedd_texts_total");
        post("/embeddings", "{\"model\":\"" + MODEL + "\",\"input\":[\"a\",\"b\",\"c\"]}");
        String after = scrape();
        assertEquals(before + 3, metric(after, "embedd_texts_total"));
        assertTrue(after.contains("embedd_model{") && after.contains("model=\"" + MODEL + "\""), after);
        assertTrue(metric(after, "http_server_requests_seconds_count") > 0);
    }
}
