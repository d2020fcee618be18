package dev.lakehouse.vectord;

import static dev.lakehouse.common.config.Service.EMBEDD;
import static dev.lakehouse.common.config.Service.STORAGED;
import static dev.lakehouse.common.config.Service.VECTORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.embedd.EmbeddMain;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.Http.Reply;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Add and search by text: vectord calls the real embedd (in-process ONNX model), then stops reaching it. */
class TextPipelineTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(EMBEDD, EmbeddMain::start).with(STORAGED, StoragedMain::start)
            .with(VECTORD, VectordMain::start);

    static final List<String> TEXTS = List.of(
            "How to recover your account when you forget your login password",
            "A slow-cooked beef stew recipe with carrots and red wine",
            "Quarterly revenue grew twelve percent on strong cloud sales",
            "The goalkeeper saved a penalty in the last minute of the match",
            "Symptoms of seasonal flu include fever, cough and tired muscles",
            "Repotting a houseplant: choose a pot one size larger",
            "Forklift operators must be certified before driving in the warehouse",
            "Train timetable changes for the holiday weekend");

    @Test
    void textAddAndTextSearchFindTheSemanticNeighbour() {
        assertEquals(201, FLEET.call(VECTORD, "POST", "/index", Map.of("name", "texts", "dim", 384)).status());
        List<Object> items = new java.util.ArrayList<>();
        for (int i = 0; i < TEXTS.size(); i++) {
            items.add(Map.of("id", "t" + i, "text", TEXTS.get(i), "metadata", Map.of("text", TEXTS.get(i))));
        }
        // one vector item mixed in: both kinds in one batch
        float[] v = new float[384];
        v[0] = 1;
        items.add(Map.of("id", "raw", "vector", v));
        Reply add = FLEET.call(VECTORD, "POST", "/index/texts/add", Map.of("items", items));
        assertEquals(200, add.status(), () -> String.valueOf(add.body()));
        assertEquals(9, add.body().get("added").asInt());

        JsonNode hits = FLEET.call(VECTORD, "POST", "/index/texts/search",
                Map.of("text", "I can't sign in, how do I reset my password?", "k", 3)).body().get("hits");
        assertEquals("t0", hits.get(0).get("id").asText(), hits.toString());
        assertTrue(hits.get(0).get("metadata").get("text").asText().contains("login password"));
        JsonNode food = FLEET.call(VECTORD, "POST", "/index/texts/search", Map.of("text", "what should I cook for dinner", "k", 1)).body();
        assertEquals("t1", food.get("hits").get(0).get("id").asText());
    }

    @Test
    void largeTextBatchesAreChunkedAndRefusedTextsAre400() {
        assertEquals(201, FLEET.call(VECTORD, "POST", "/index", Map.of("name", "many", "dim", 384)).status());
        List<Object> items = new java.util.ArrayList<>();
        for (int i = 0; i < 150; i++) { // more than one embedd call (64 per call), fewer than embedd's cap
            items.add(Map.of("id", "m" + i, "text", "note number " + i + " about " + TEXTS.get(i % TEXTS.size())));
        }
        Reply add = FLEET.call(VECTORD, "POST", "/index/many/add?save=true", Map.of("items", items));
        assertEquals(200, add.status(), () -> String.valueOf(add.body()));
        assertEquals(150, add.body().get("count").asInt());
        assertEquals(false, FLEET.call(VECTORD, "GET", "/index/many", null).body().get("dirty").asBoolean(), "?save=true saved");
        Reply tooLong = FLEET.call(VECTORD, "POST", "/index/many/search", Map.of("text", "x".repeat(40_000)));
        assertEquals(400, tooLong.status(), () -> String.valueOf(tooLong.body()));
        assertTrue(tooLong.body().get("error").asText().contains("embedd refused"), tooLong.body().toString());
    }

    @Test
    void textIntoAnIndexOfAnotherDimensionIsA400NamingBoth() {
        assertEquals(201, FLEET.call(VECTORD, "POST", "/index", Map.of("name", "small", "dim", 8)).status());
        Reply r = FLEET.call(VECTORD, "POST", "/index/small/add", Map.of("items", List.of(Map.of("id", "a", "text", "hello"))));
        assertEquals(400, r.status());
        assertTrue(r.body().get("error").asText().contains("384"), r.body().toString());
        assertEquals(0, FLEET.call(VECTORD, "GET", "/index/small", null).body().get("count").asInt());
    }

    @Test
    void embeddDownIsA502ThatSaysSo() {
        assertEquals(201, FLEET.call(VECTORD, "POST", "/index", Map.of("name", "orphan", "dim", 384)).status());
        ServiceApp saved = FLEET.app(VECTORD);
        FLEET.stop(VECTORD);
        FLEET.keys(VECTORD).put("embedd.url", "http://127.0.0.1:1");
        try {
            FLEET.start(VECTORD);
            Reply r = FLEET.call(VECTORD, "POST", "/index/orphan/search", Map.of("text", "anything"));
            assertEquals(502, r.status());
            assertTrue(r.body().get("error").asText().contains("embedd"), r.body().toString());
        } finally {
            FLEET.stop(VECTORD);
            FLEET.keys(VECTORD).put("embedd.url", FLEET.url(EMBEDD));
            FLEET.start(VECTORD);
        }
        assertTrue(saved != FLEET.app(VECTORD));
    }
}
