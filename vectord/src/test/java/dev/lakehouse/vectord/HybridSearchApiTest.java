package dev.lakehouse.vectord;

import static dev.lakehouse.common.config.Service.STORAGED;
import static dev.lakehouse.common.config.Service.VECTORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.Http.Reply;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Filtered, keyword and hybrid search over HTTP: real vectord over real storaged over the embedded S3. */
class HybridSearchApiTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start).with(VECTORD, VectordMain::start);
    static float[][] data;
    static final String[] CITIES = {"Austin", "Dallas", "Houston", "Denver", "Boston"};
    static final String[] TITLES = {"java backend engineer", "python data engineer", "qa engineer", "frontend react developer"};

    @BeforeAll
    static void start() throws Exception {
        assertEquals(201, call("POST", "/index", Map.of("name", "cands", "dim", 16)).status());
        data = TestVectors.clustered(3000, 16, 8, 3);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            // Austin with rate < 80: 6 % of the items; kafka in the title: every 300th
            Map<String, Object> meta = Map.of("city", CITIES[i % 5], "rate", 50 + i % 100,
                    "title", TITLES[i % 4] + (i % 300 == 0 ? " with kafka" : ""));
            items.add(Map.of("id", "c" + i, "vector", data[i], "metadata", meta));
        }
        Reply add = call("POST", "/index/cands/add", Map.of("items", items));
        assertEquals(200, add.status(), () -> add.body().toString());
    }

    static Reply call(String method, String path, Object body) {
        return FLEET.call(VECTORD, method, path, body);
    }

    static Reply search(Map<String, Object> body) {
        return call("POST", "/index/cands/search", body);
    }

    @Test
    void aFilteredSearchAnswersOnlyMatchingItemsInBothSpellings() {
        Map<String, Object> json = Map.of("and", List.of(Map.of("eq", Map.of("city", "Austin")),
                Map.of("range", Map.of("rate", Map.of("lt", 80)))));
        for (Object filter : List.of(json, "city = 'Austin' AND rate < 80")) {
            Reply r = search(Map.of("vector", data[42], "k", 10, "filter", filter));
            assertEquals(200, r.status(), () -> r.body().toString());
            assertEquals(10, r.body().get("hits").size());
            for (JsonNode h : r.body().get("hits")) {
                assertEquals("Austin", h.get("metadata").get("city").asText());
                assertTrue(h.get("metadata").get("rate").asInt() < 80, h.toString());
            }
            assertTrue(r.body().get("plan").has("strategy"), r.body().toString());
        }
    }

    @Test
    void aFilterOnAFieldNoItemHasAnswersNoHits() {
        Reply r = search(Map.of("vector", data[1], "filter", Map.of("eq", Map.of("colour", "red"))));
        assertEquals(200, r.status());
        assertEquals(0, r.body().get("hits").size());
    }

    @Test
    void anUnknownFilterOperatorIsA400NamingIt() {
        Reply r = search(Map.of("vector", data[1], "filter", Map.of("near", Map.of("city", "Austin"))));
        assertEquals(400, r.status());
        assertEquals("bad_filter", r.body().get("code").asText());
        assertEquals("near", r.body().get("operator").asText());
        assertTrue(r.body().get("error").asText().contains("'near'"));
        Reply type = search(Map.of("vector", data[1], "filter", Map.of("eq", Map.of("rate", List.of(1, 2)))));
        assertEquals(400, type.status());
        assertEquals("rate", type.body().get("field").asText());
        Reply mode = search(Map.of("vector", data[1], "mode", "semantic"));
        assertEquals(400, mode.status());
        assertEquals("bad_search_mode", mode.body().get("code").asText());
    }

    @Test
    void keywordSearchRanksItemsHoldingTheQueryTermsAndHonoursTheFilter() {
        Reply r = search(Map.of("text", "kafka", "mode", "keyword", "k", 20));
        assertEquals(200, r.status(), () -> r.body().toString());
        assertEquals(10, r.body().get("hits").size(), "exactly the 10 items with kafka (every 300th)");
        for (JsonNode h : r.body().get("hits")) {
            assertTrue(h.get("metadata").get("title").asText().contains("kafka"));
            assertFalse(h.has("distance"), "keyword-only hits have no dense distance");
        }
        Reply austin = search(Map.of("text", "kafka", "mode", "keyword", "filter", "city = 'Austin'"));
        for (JsonNode h : austin.body().get("hits")) {
            assertEquals("Austin", h.get("metadata").get("city").asText());
        }
        // c0, c300, ... c2700: i % 5 == 0 for every one of them, so all ten are in Austin
        assertEquals(10, austin.body().get("hits").size());
    }

    @Test
    void hybridFusesTheDenseAndKeywordRankings() {
        // the query vector is c7's (a python data engineer); the keyword asks for kafka: both lists contribute
        Reply r = search(Map.of("vector", data[7], "text", "kafka", "mode", "hybrid", "k", 20));
        assertEquals(200, r.status(), () -> r.body().toString());
        List<String> ids = new ArrayList<>();
        r.body().get("hits").forEach(h -> ids.add(h.get("id").asText()));
        assertEquals("c7", ids.get(0), "first in dense, so it leads the fusion: " + ids);
        assertTrue(ids.stream().anyMatch(id -> Integer.parseInt(id.substring(1)) % 300 == 0), "a kafka item fused in: " + ids);
        assertEquals("hybrid", r.body().get("mode").asText());
        Reply noText = search(Map.of("vector", data[7], "mode", "hybrid"));
        assertEquals(400, noText.status());
    }
}
