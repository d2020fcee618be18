package dev.lakehouse.vectord.retrieval;

import static dev.lakehouse.common.config.Service.STORAGED;
import static dev.lakehouse.common.config.Service.VECTORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.Http.Reply;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import dev.lakehouse.vectord.VectordMain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The keyword and payload indexes count against vectord.memory_budget with the graphs (ADR 0036). */
class SearchMemoryAdmissionTest {
    static final long BUDGET = 1_000_000;
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start)
            .with(VECTORD, VectordMain::start, Map.of("vectord.memory_budget", String.valueOf(BUDGET)));

    static final String[] WORDS = ("java kafka python rust golang react nurse chef pastry senior junior lead staff "
            + "backend frontend data platform cloud devops security mobile android ios design product sales").split(" ");

    static Reply call(String method, String path, Object body) {
        return FLEET.call(VECTORD, method, path, body);
    }

    static Reply add(int from, int n) {
        List<Object> items = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 12; w++) {
                text.append(WORDS[(i * 7 + w * 13) % WORDS.length]).append(w).append(' ');
            }
            items.add(Map.of("id", "c" + i, "vector", new float[] {i, 1, 2, 3},
                    "metadata", Map.of("city", "city" + (i % 40), "rate", i % 100, "summary", text.toString())));
        }
        return call("POST", "/index/cands/add", Map.of("items", items));
    }

    static long used() {
        return call("GET", "/health", null).body().get("memory").get("used_bytes").asLong();
    }

    @Test
    void keywordAndPayloadIndexesCountAgainstTheBudgetAndAnAddTheyWouldPushOverItIsRefusedWith507() {
        assertEquals(201, call("POST", "/index", Map.of("name", "cands", "dim", 4, "distance", "l2")).status());
        assertEquals(200, add(0, 600).status());
        long graphsOnly = used();
        // a keyword search builds the BM25 index, a filtered one the payload index: both are heap beside the graph
        assertEquals(200, call("POST", "/index/cands/search", Map.of("text", "java kafka", "mode", "keyword")).status());
        assertEquals(200, call("POST", "/index/cands/search",
                Map.of("vector", new float[] {1, 1, 2, 3}, "filter", "city = 'city3' AND rate < 50")).status());
        long withSearch = used();
        assertTrue(withSearch > graphsOnly, "search structures counted: " + graphsOnly + " -> " + withSearch);

        Reply refused = null;
        int count = 600;
        for (int round = 0; round < 100 && refused == null; round++) {
            Reply r = add(count, 20); // no search in between: the search structures keep their size
            if (r.status() == 200) {
                count += 20;
            } else {
                refused = r;
            }
        }
        assertTrue(refused != null, "the budget was never reached");
        assertEquals(507, refused.status(), refused.body().toString());
        JsonNode b = refused.body();
        assertEquals("memory_budget_exceeded", b.get("code").asText());
        long search = b.get("search_bytes").asLong();
        long usedAtRefusal = b.get("used_bytes").asLong();
        long need = b.get("needed_bytes").asLong();
        assertTrue(search > 0, b.toString());
        assertTrue(usedAtRefusal + need > BUDGET, b.toString());
        // the graphs alone would have admitted this add: the refusal is the search structures' share
        assertTrue(usedAtRefusal - search + need <= BUDGET, b.toString());
        assertTrue(b.get("error").asText().contains(BUDGET + " bytes"), b.toString());
        assertEquals(count, call("GET", "/index/cands", null).body().get("count").asInt(), "nothing of the refused batch");
    }
}
