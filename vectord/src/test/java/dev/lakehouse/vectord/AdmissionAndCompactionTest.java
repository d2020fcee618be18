package dev.lakehouse.vectord;

import static dev.lakehouse.common.config.Service.STORAGED;
import static dev.lakehouse.common.config.Service.VECTORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.Http.Reply;
import dev.lakehouse.testkit.Http;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Memory admission (507 with the figures, never an OOM) and compaction of tombstones, through the HTTP API. */
class AdmissionAndCompactionTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    // room for the busy index and, while it is compacted, its second graph (both count against the budget)
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start)
            .with(VECTORD, VectordMain::start, Map.of("vectord.memory_budget", "1000000", "vectord.compact_min_nodes", "50"));


    static Reply call(String method, String path, Object body) {
        return FLEET.call(VECTORD, method, path, body);
    }

    static Reply add(String index, int from, int n, float shift) {
        List<Object> items = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            items.add(Map.of("id", "i" + i, "vector", new float[] {i, shift, 1, 2, 3, 4, 5, 6}));
        }
        return call("POST", "/index/" + index + "/add", Map.of("items", items));
    }

    @Test
    void anAddPastTheMemoryBudgetIsRefusedWith507NamingTheBudgetAndNothingIsAdded() {
        assertEquals(201, call("POST", "/index", Map.of("name", "full", "dim", 8, "distance", "l2")).status());
        int count = 0;
        Reply refused = null;
        for (int round = 0; round < 100 && refused == null; round++) {
            Reply r = add("full", count, 100, 0);
            if (r.status() == 200) {
                count += 100;
            } else {
                refused = r;
            }
        }
        assertTrue(refused != null, "the budget was never reached");
        assertEquals(507, refused.status());
        assertEquals("memory_budget_exceeded", refused.body().get("code").asText());
        assertEquals(1_000_000, refused.body().get("budget_bytes").asLong());
        assertTrue(refused.body().get("error").asText().contains("1000000 bytes"), refused.body().toString());
        assertTrue(count > 0);
        assertEquals(count, call("GET", "/index/full", null).body().get("count").asInt(), "nothing of the refused batch");
        JsonNode health = call("GET", "/health", null).body();
        assertEquals(1_000_000, health.get("memory").get("budget_bytes").asLong());
        assertTrue(health.get("memory").get("used_bytes").asLong() <= 1_000_000);
        assertEquals(200, call("POST", "/index/full/search", Map.of("vector", new float[] {1, 0, 1, 2, 3, 4, 5, 6})).status());
        assertEquals(204, call("DELETE", "/index/full", null).status());
        assertEquals(404, add("none", 0, 1, 0).status());
    }

    @Test
    void tombstonesPastTheirShareAreCompactedInTheBackgroundAndTheItemsStay() {
        assertEquals(201, call("POST", "/index", Map.of("name", "churn", "dim", 8, "distance", "l2")).status());
        assertEquals(200, add("churn", 0, 100, 0).status());
        assertEquals(204, call("DELETE", "/index/churn/items/i50", null).status());
        assertEquals(1, call("GET", "/index/churn", null).body().get("tombstoned").asInt());
        assertEquals(200, add("churn", 0, 30, 7).status()); // 30 replaced: 31 of 131 nodes are tombstones (> 20 %)
        long deadline = System.currentTimeMillis() + 20_000;
        JsonNode info;
        do {
            assertTrue(System.currentTimeMillis() < deadline, "no background compaction");
            Http.sleep(50);
            info = call("GET", "/index/churn", null).body();
        } while (info.get("tombstoned").asInt() != 0 || info.get("compacting").asBoolean());
        assertEquals(99, info.get("count").asInt());
        assertTrue(info.get("last_compaction").asText().contains("31 tombstones dropped"), info.toString());
        assertFalse(info.get("dirty").asBoolean(), "a compaction ends with a snapshot");
        JsonNode item = call("GET", "/index/churn/items/i3?vector=true", null).body();
        assertEquals(7f, item.get("vector").get(1).floatValue(), "the replaced vector, not the first one");
        assertEquals(404, call("GET", "/index/churn/items/i50", null).status());
        assertEquals("i42", call("POST", "/index/churn/search", Map.of("vector", new float[] {42, 0, 1, 2, 3, 4, 5, 6}, "k", 1))
                .body().get("hits").get(0).get("id").asText());
        JsonNode health = call("GET", "/health", null).body();
        assertEquals(0, health.get("items").get("tombstoned").asInt());

        FLEET.stop(VECTORD);
        FLEET.start(VECTORD);
        info = call("GET", "/index/churn", null).body();
        assertEquals(99, info.get("count").asInt());
        assertEquals(0, info.get("tombstoned").asInt());
    }

    @Test
    void compactOnRequestDropsTombstonesBelowTheShare() {
        assertEquals(201, call("POST", "/index", Map.of("name", "few", "dim", 8, "distance", "l2")).status());
        assertEquals(200, add("few", 0, 60, 0).status());
        assertEquals(200, add("few", 0, 3, 1).status());
        assertEquals(3, call("GET", "/index/few", null).body().get("tombstoned").asInt());
        Reply c = call("POST", "/index/few/compact", null);
        assertEquals(200, c.status(), () -> c.body().toString());
        assertEquals(0, c.body().get("tombstoned").asInt());
        assertEquals(60, c.body().get("count").asInt());
        assertEquals(404, call("POST", "/index/nope/compact", null).status());
    }

    /** Writes that land while the graph is being rebuilt are journaled onto the new graph, none lost. */
    @Test
    void addsAndDeletesDuringCompactionsAllLand() throws Exception {
        assertEquals(201, call("POST", "/index", Map.of("name", "busy", "dim", 8, "distance", "l2")).status());
        assertEquals(200, add("busy", 0, 200, 0).status());
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger compactions = new java.util.concurrent.atomic.AtomicInteger();
        Thread compactor = new Thread(() -> {
            while (!done.get()) {
                if (call("POST", "/index/busy/compact", null).status() == 200) {
                    compactions.incrementAndGet();
                }
            }
        });
        compactor.start();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int from = 1000 + w * 1000;
            Thread t = new Thread(() -> {
                for (int b = 0; b < 15; b++) {
                    assertEquals(200, add("busy", from + b * 10, 10, 0).status());
                    assertEquals(204, call("DELETE", "/index/busy/items/i" + (from + b * 10), null).status());
                    assertEquals(200, add("busy", b, 1, 9).status()); // replace an old one: a tombstone each
                }
            });
            t.start();
            writers.add(t);
        }
        for (Thread t : writers) {
            t.join();
        }
        done.set(true);
        compactor.join();
        assertTrue(compactions.get() > 0, "no compaction overlapped the writes");
        JsonNode info = call("GET", "/index/busy", null).body();
        assertEquals(200 + 2 * 15 * 9, info.get("count").asInt(), info.toString());
        for (int w = 0; w < 2; w++) {
            for (int b = 0; b < 15; b++) {
                int from = 1000 + w * 1000 + b * 10;
                assertEquals(404, call("GET", "/index/busy/items/i" + from, null).status(), "deleted i" + from);
                assertEquals(200, call("GET", "/index/busy/items/i" + (from + 9), null).status(), "added i" + (from + 9));
            }
        }
        assertEquals(9f, call("GET", "/index/busy/items/i14?vector=true", null).body().get("vector").get(1).floatValue());
    }
}
