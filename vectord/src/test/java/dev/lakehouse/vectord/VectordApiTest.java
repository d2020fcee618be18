package dev.lakehouse.vectord;

import static dev.lakehouse.common.config.Service.STORAGED;
import static dev.lakehouse.common.config.Service.VECTORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.Http.Reply;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import dev.lakehouse.vectord.store.IndexStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HTTP API end to end: real vectord over real storaged over the embedded S3. */
class VectordApiTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start).with(VECTORD, VectordMain::start);


    static Reply call(String method, String path, Object body) {
        return FLEET.call(VECTORD, method, path, body);
    }

    static Map<String, Object> item(String id, float[] v, Map<String, Object> meta) {
        return meta == null ? Map.of("id", id, "vector", v) : Map.of("id", id, "vector", v, "metadata", meta);
    }

    @Test
    void createValidatesAndRefusesDuplicates() {
        assertEquals(201, call("POST", "/index", Map.of("name", "dup", "dim", 4, "distance", "l2")).status());
        Reply again = call("POST", "/index", Map.of("name", "dup", "dim", 4));
        assertEquals(409, again.status());
        assertTrue(again.body().get("error").asText().contains("already exists"));
        assertEquals(400, call("POST", "/index", Map.of("name", "d0", "dim", 0)).status());
        assertEquals(400, call("POST", "/index", Map.of("name", "d1", "dim", -3)).status());
        assertEquals(400, call("POST", "/index", Map.of("name", "d2")).status());
        assertEquals(400, call("POST", "/index", Map.of("name", "d3", "dim", "four")).status());
        Reply badDistance = call("POST", "/index", Map.of("name", "d4", "dim", 4, "distance", "hamming"));
        assertEquals(400, badDistance.status());
        assertTrue(badDistance.body().get("error").asText().contains("cosine, dot, l2"));
        assertEquals(400, call("POST", "/index", Map.of("name", "../etc", "dim", 4)).status());
        assertEquals(400, call("POST", "/index", Map.of("name", "has space", "dim", 4)).status());
        assertEquals(400, call("POST", "/index", "{not json").status());
        assertEquals(400, call("POST", "/index", Map.of("name", "d5", "dim", 4, "colour", "red")).status());
        // acknowledged create is durable at once
        assertTrue(S3.client().headObject(b -> b.bucket(S3.bucket()).key(IndexStore.key("dup"))).contentLength() > 0);
    }

    @Test
    void addSearchGetDeleteRoundTrip() {
        assertEquals(201, call("POST", "/index", Map.of("name", "docs", "dim", 16, "distance", "cosine")).status());
        float[][] data = TestVectors.clustered(300, 16, 6, 11);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            items.add(item("d" + i, data[i], Map.of("n", i, "tag", "t" + (i % 3))));
        }
        Reply add = call("POST", "/index/docs/add", Map.of("items", items));
        assertEquals(200, add.status(), () -> add.body().toString());
        assertEquals(300, add.body().get("added").asInt());

        // each stored vector finds itself first (recall on a known set), with its metadata
        int self = 0;
        for (int i = 0; i < 300; i += 7) {
            JsonNode hits = call("POST", "/index/docs/search", Map.of("vector", data[i], "k", 5)).body().get("hits");
            assertEquals(5, hits.size());
            if (hits.get(0).get("id").asText().equals("d" + i)) {
                self++;
                assertEquals(i, hits.get(0).get("metadata").get("n").asInt());
                assertEquals(1.0, hits.get(0).get("score").asDouble(), 1e-4);
            }
        }
        assertEquals(43, self);
        JsonNode withEf = call("POST", "/index/docs/search", Map.of("vector", data[3], "k", 3, "ef", 200)).body();
        assertEquals(200, withEf.get("ef").asInt());
        assertEquals(3, withEf.get("hits").size());

        JsonNode info = call("GET", "/index/docs", null).body();
        assertEquals(300, info.get("count").asInt());
        assertEquals("ready", info.get("status").asText());
        assertEquals("cosine", info.get("distance").asText());
        assertTrue(call("GET", "/index", null).body().get("indexes").findValuesAsText("name").contains("docs"));

        // replace: same id, new vector and metadata
        float[] moved = data[200].clone();
        Reply rep = call("POST", "/index/docs/add", Map.of("items", List.of(item("d0", moved, Map.of("n", "moved")))));
        assertEquals(300, rep.body().get("count").asInt());
        JsonNode near200 = call("POST", "/index/docs/search", Map.of("vector", moved, "k", 2)).body().get("hits");
        assertTrue(near200.findValuesAsText("id").contains("d0"));

        assertEquals(204, call("DELETE", "/index/docs/items/d1", null).status());
        assertEquals(404, call("DELETE", "/index/docs/items/d1", null).status());
        assertEquals(299, call("GET", "/index/docs", null).body().get("count").asInt());
        assertFalse(call("POST", "/index/docs/search", Map.of("vector", data[1], "k", 10)).body().get("hits")
                .findValuesAsText("id").contains("d1"));

        assertEquals(204, call("DELETE", "/index/docs", null).status());
        assertEquals(404, call("GET", "/index/docs", null).status());
        assertEquals(404, call("POST", "/index/docs/search", Map.of("vector", data[1])).status());
        assertFalse(S3.client().listObjectsV2(b -> b.bucket(S3.bucket()).prefix(IndexStore.key("docs"))).hasContents());
    }

    /** The true top k by L2 over {@code data} (indexes {@code keep} accepts), nearest first. */
    static List<String> bruteForce(float[][] data, float[] q, int k, java.util.function.IntPredicate keep) {
        return java.util.stream.IntStream.range(0, data.length).filter(keep).boxed()
                .sorted(java.util.Comparator.comparingDouble(i -> {
                    double d = 0;
                    for (int j = 0; j < q.length; j++) {
                        d += (data[i][j] - q[j]) * (double) (data[i][j] - q[j]);
                    }
                    return d;
                })).limit(k).map(i -> "e" + i).toList();
    }

    @Test
    void anExactSearchScansEveryItemAndReturnsTheTrueTopKWithOrWithoutAFilter() {
        // a graph too thin to be exact at ef 1, so only the scan gives the true neighbours of every query
        assertEquals(201, call("POST", "/index", Map.of("name", "exact", "dim", 8, "distance", "l2", "m", 2,
                "ef_construction", 4)).status());
        float[][] data = TestVectors.clustered(400, 8, 5, 23);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            items.add(item("e" + i, data[i], Map.of("odd", i % 2 == 1)));
        }
        assertEquals(200, call("POST", "/index/exact/add", Map.of("items", items)).status());
        float[][] queries = TestVectors.clustered(20, 8, 5, 99);
        int graphMissed = 0;
        for (float[] q : queries) {
            JsonNode r = call("POST", "/index/exact/search", Map.of("vector", q, "k", 10, "exact", true)).body();
            List<String> ids = new ArrayList<>();
            r.get("hits").forEach(h -> ids.add(h.get("id").asText()));
            assertEquals(bruteForce(data, q, 10, i -> true), ids);
            List<String> odd = new ArrayList<>();
            call("POST", "/index/exact/search", Map.of("vector", q, "k", 10, "exact", true, "filter", "odd = true"))
                    .body().get("hits").forEach(h -> odd.add(h.get("id").asText()));
            assertEquals(bruteForce(data, q, 10, i -> i % 2 == 1), odd);
            List<String> walked = new ArrayList<>();
            call("POST", "/index/exact/search", Map.of("vector", q, "k", 10, "ef", 1)).body().get("hits")
                    .forEach(h -> walked.add(h.get("id").asText()));
            graphMissed += walked.equals(ids) ? 0 : 1;
        }
        assertTrue(graphMissed > 0, "the walk at ef 1 was exact on every query: the test cannot tell the scan from it");
        Reply keyword = call("POST", "/index/exact/search", Map.of("text", "x", "mode", "keyword", "exact", true));
        assertEquals(400, keyword.status());
        assertEquals(ErrorCodes.BAD_SEARCH_MODE, keyword.body().get("code").asText());
    }

    @Test
    void wrongDimensionRejectsTheWholeBatchNamingTheItem() {
        assertEquals(201, call("POST", "/index", Map.of("name", "dims", "dim", 3)).status());
        Reply bad = call("POST", "/index/dims/add", Map.of("items", List.of(
                item("good", new float[] {1, 2, 3}, null),
                item("short", new float[] {1, 2}, null))));
        assertEquals(400, bad.status());
        String err = bad.body().get("error").asText();
        assertTrue(err.contains("'short'") && err.contains("2 dimensions") && err.contains("has 3"), err);
        assertEquals("short", bad.body().get("item_id").asText());
        assertEquals(0, call("GET", "/index/dims", null).body().get("count").asInt());

        assertEquals(400, call("POST", "/index/dims/add", Map.of("items", List.of())).status());
        assertEquals(400, call("POST", "/index/dims/add", "{\"items\":[{\"id\":\"x\",\"vector\":[1,\"a\",3]}]}").status());
        assertEquals(400, call("POST", "/index/dims/add", "{\"items\":[{\"vector\":[1,2,3]}]}").status());
        assertEquals(400, call("POST", "/index/dims/add", "{\"items\":[{\"id\":\"z\",\"vector\":[0,0,0]}]}").status());
        assertEquals(400, call("POST", "/index/dims/add", "{\"items\":[{\"id\":\"m\",\"vector\":[1,2,3],\"metadata\":[1]}]}").status());
        assertEquals(400, call("POST", "/index/dims/search", Map.of("vector", new float[] {1, 2})).status());
        assertEquals(400, call("POST", "/index/dims/search", Map.of("vector", new float[] {1, 2, 3}, "k", 0)).status());
        assertEquals(400, call("POST", "/index/dims/search", Map.of("k", 3)).status());
        assertEquals(404, call("POST", "/index/nope/add", Map.of("items", List.of(item("a", new float[] {1, 2, 3}, null)))).status());
    }

    @Test
    void textNeedsEmbeddAndSaysSoWhenItIsDown() {
        assertEquals(201, call("POST", "/index", Map.of("name", "texts", "dim", 384)).status());
        Reply add = call("POST", "/index/texts/add", Map.of("items", List.of(Map.of("id", "t", "text", "hello"))));
        assertEquals(502, add.status());
        assertTrue(add.body().get("error").asText().contains("embedd"), add.body().toString());
        Reply search = call("POST", "/index/texts/search", Map.of("text", "hello"));
        assertEquals(502, search.status());
        assertTrue(search.body().get("error").asText().contains("cannot embed text"));
        assertEquals(400, call("POST", "/index/texts/add",
                Map.of("items", List.of(Map.of("id", "t", "text", "x", "vector", new float[384])))).status());
    }

    @Test
    void getItemReturnsMetadataAndTheStoredVectorOnlyWhenAsked() {
        assertEquals(201, call("POST", "/index", Map.of("name", "items", "dim", 3, "distance", "cosine")).status());
        assertEquals(200, call("POST", "/index/items/add", Map.of("items", List.of(
                item("a", new float[] {3, 0, 4}, Map.of("title", "A", "n", 1)),
                item("b", new float[] {0, 1, 0}, null)))).status());
        JsonNode a = call("GET", "/index/items/items/a", null).body();
        assertEquals("a", a.get("id").asText());
        assertEquals("A", a.get("metadata").get("title").asText());
        assertFalse(a.has("vector"));
        JsonNode withVector = call("GET", "/index/items/items/a?vector=true", null).body();
        assertEquals(0.6, withVector.get("vector").get(0).asDouble(), 1e-6, "stored unit length for cosine");
        assertEquals(0.8, withVector.get("vector").get(2).asDouble(), 1e-6);
        assertFalse(call("GET", "/index/items/items/b", null).body().has("metadata"));
        Reply missing = call("GET", "/index/items/items/zz", null);
        assertEquals(404, missing.status());
        assertEquals("item_not_found", missing.body().get("code").asText());
        assertEquals(404, call("GET", "/index/nope/items/a", null).status());
    }

    /** A vector this small overflowed 1/norm to Infinity in float: it was stored as Infinity and topped every search. */
    @Test
    void aTinyCosineVectorIsStoredAsAFiniteUnitVector() {
        assertEquals(201, call("POST", "/index", Map.of("name", "tiny", "dim", 3, "distance", "cosine")).status());
        assertEquals(200, call("POST", "/index/tiny/add", "{\"items\":[{\"id\":\"t\",\"vector\":[1e-45,1e-45,1e-45]},"
                + "{\"id\":\"x\",\"vector\":[1,0,0]}]}").status());
        JsonNode v = call("GET", "/index/tiny/items/t?vector=true", null).body().get("vector");
        for (JsonNode x : v) {
            assertTrue(Double.isFinite(x.asDouble()), v.toString());
            assertEquals(1 / Math.sqrt(3), x.asDouble(), 1e-6);
        }
        JsonNode hits = call("POST", "/index/tiny/search", Map.of("vector", new float[] {1, 0, 0}, "k", 2)).body().get("hits");
        assertEquals("x", hits.get(0).get("id").asText(), "the tiny vector no longer comes first everywhere");
        assertTrue(Double.isFinite(hits.get(1).get("score").asDouble()));
    }
}
