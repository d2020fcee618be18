package dev.lakehouse.vectord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.testkit.S3Extension;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Idempotency-Key on add and item delete, through the HTTP API (crash survival: WalRecoveryTest). */
class IdempotencyTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    static Fleet fleet;

    @BeforeAll
    static void start() throws Exception {
        fleet = new Fleet(S3, Files.createTempDirectory("vectord-idem"));
        fleet.startVectord();
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    static Map<String, Object> body(String... ids) {
        return Map.of("items", java.util.Arrays.stream(ids)
                .map(id -> Map.of("id", id, "vector", new float[] {id.length(), 1, 2})).toList());
    }

    static Fleet.Reply keyed(String method, String path, Object body, String key) {
        return fleet.call(method, path, body, Map.of("Idempotency-Key", key));
    }

    static long walSeq(String index) {
        return fleet.call("GET", "/index/" + index, null).body().get("wal_seq").asLong();
    }

    @Test
    void theSameKeyAndBodyAnswerTheFirstOutcomeWithoutWritingAgain() {
        assertEquals(201, fleet.call("POST", "/index", Map.of("name", "once", "dim", 3, "distance", "l2")).status());
        Fleet.Reply first = keyed("POST", "/index/once/add", body("a", "bb"), "k-1");
        assertEquals(200, first.status());
        assertFalse(first.replayed());
        assertEquals(204, fleet.call("DELETE", "/index/once/items/a", null).status());
        long seq = walSeq("once");

        Fleet.Reply again = keyed("POST", "/index/once/add", body("a", "bb"), "k-1");
        assertEquals(200, again.status());
        assertTrue(again.replayed());
        assertEquals(2, again.body().get("added").asInt(), "the first outcome");
        assertEquals(seq, walSeq("once"), "nothing written again");
        assertEquals(404, fleet.call("GET", "/index/once/items/a", null).status(), "the retry did not re-add a");
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedWith409() {
        assertEquals(201, fleet.call("POST", "/index", Map.of("name", "reuse", "dim", 3, "distance", "l2")).status());
        assertEquals(200, keyed("POST", "/index/reuse/add", body("x"), "k-2").status());
        long seq = walSeq("reuse");
        Fleet.Reply other = keyed("POST", "/index/reuse/add", body("y"), "k-2");
        assertEquals(409, other.status());
        assertEquals("idempotency_key_reused", other.body().get("code").asText());
        assertEquals(seq, walSeq("reuse"));
        assertEquals(404, fleet.call("GET", "/index/reuse/items/y", null).status());
        assertEquals(409, keyed("DELETE", "/index/reuse/items/x", null, "k-2").status(), "another route is another request");
        assertEquals(400, keyed("POST", "/index/reuse/add", body("z"), "has space").status());
    }

    @Test
    void aRepeatedKeyedDeleteAnswers204AgainInsteadOf404() {
        assertEquals(201, fleet.call("POST", "/index", Map.of("name", "del", "dim", 3, "distance", "l2")).status());
        assertEquals(200, fleet.call("POST", "/index/del/add", body("d")).status());
        assertEquals(204, keyed("DELETE", "/index/del/items/d", null, "k-3").status());
        Fleet.Reply again = keyed("DELETE", "/index/del/items/d", null, "k-3");
        assertEquals(204, again.status());
        assertTrue(again.replayed());
        assertEquals(404, fleet.call("DELETE", "/index/del/items/d", null).status(), "without the key it is absent");
    }

    @Test
    void keysAreRememberedAcrossARestartThatSnapshots() {
        assertEquals(201, fleet.call("POST", "/index", Map.of("name", "kept", "dim", 3, "distance", "l2")).status());
        assertEquals(200, keyed("POST", "/index/kept/add", body("p", "qq"), "k-4").status());
        assertEquals(204, fleet.call("DELETE", "/index/kept/items/p", null).status());
        fleet.stopVectord(); // graceful: a snapshot, the WAL records it covers deleted, the keys in its .idem
        fleet.startVectord();
        assertEquals(0, fleet.call("GET", "/index/kept", null).body().get("replayed_records").asInt());
        Fleet.Reply again = keyed("POST", "/index/kept/add", body("p", "qq"), "k-4");
        assertTrue(again.replayed());
        assertEquals(404, fleet.call("GET", "/index/kept/items/p", null).status());
        assertEquals(409, keyed("POST", "/index/kept/add", body("p"), "k-4").status());
    }
}
