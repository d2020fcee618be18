package dev.lakehouse.vectord;

import static dev.lakehouse.common.config.Service.STORAGED;
import static dev.lakehouse.common.config.Service.VECTORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.Http.Reply;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Idempotency-Key on add and item delete, through the HTTP API (crash survival: WalRecoveryTest). */
class IdempotencyTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start).with(VECTORD, VectordMain::start);


    static Map<String, Object> body(String... ids) {
        return Map.of("items", java.util.Arrays.stream(ids)
                .map(id -> Map.of("id", id, "vector", new float[] {id.length(), 1, 2})).toList());
    }

    static Reply keyed(String method, String path, Object body, String key) {
        return FLEET.call(VECTORD, method, path, body, Map.of("Idempotency-Key", key));
    }

    static long walSeq(String index) {
        return FLEET.call(VECTORD, "GET", "/index/" + index, null).body().get("wal_seq").asLong();
    }

    @Test
    void theSameKeyAndBodyAnswerTheFirstOutcomeWithoutWritingAgain() {
        assertEquals(201, FLEET.call(VECTORD, "POST", "/index", Map.of("name", "once", "dim", 3, "distance", "l2")).status());
        Reply first = keyed("POST", "/index/once/add", body("a", "bb"), "k-1");
        assertEquals(200, first.status());
        assertFalse(first.replayed());
        assertEquals(204, FLEET.call(VECTORD, "DELETE", "/index/once/items/a", null).status());
        long seq = walSeq("once");

        Reply again = keyed("POST", "/index/once/add", body("a", "bb"), "k-1");
        assertEquals(200, again.status());
        assertTrue(again.replayed());
        assertEquals(2, again.body().get("added").asInt(), "the first outcome");
        assertEquals(seq, walSeq("once"), "nothing written again");
        assertEquals(404, FLEET.call(VECTORD, "GET", "/index/once/items/a", null).status(), "the retry did not re-add a");
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedWith409() {
        assertEquals(201, FLEET.call(VECTORD, "POST", "/index", Map.of("name", "reuse", "dim", 3, "distance", "l2")).status());
        assertEquals(200, keyed("POST", "/index/reuse/add", body("x"), "k-2").status());
        long seq = walSeq("reuse");
        Reply other = keyed("POST", "/index/reuse/add", body("y"), "k-2");
        assertEquals(409, other.status());
        assertEquals("idempotency_key_reused", other.body().get("code").asText());
        assertEquals(seq, walSeq("reuse"));
        assertEquals(404, FLEET.call(VECTORD, "GET", "/index/reuse/items/y", null).status());
        assertEquals(409, keyed("DELETE", "/index/reuse/items/x", null, "k-2").status(), "another route is another request");
        assertEquals(400, keyed("POST", "/index/reuse/add", body("z"), "has space").status());
    }

    @Test
    void aRepeatedKeyedDeleteAnswers204AgainInsteadOf404() {
        assertEquals(201, FLEET.call(VECTORD, "POST", "/index", Map.of("name", "del", "dim", 3, "distance", "l2")).status());
        assertEquals(200, FLEET.call(VECTORD, "POST", "/index/del/add", body("d")).status());
        assertEquals(204, keyed("DELETE", "/index/del/items/d", null, "k-3").status());
        Reply again = keyed("DELETE", "/index/del/items/d", null, "k-3");
        assertEquals(204, again.status());
        assertTrue(again.replayed());
        assertEquals(404, FLEET.call(VECTORD, "DELETE", "/index/del/items/d", null).status(), "without the key it is absent");
    }

    @Test
    void keysAreRememberedAcrossARestartThatSnapshots() {
        assertEquals(201, FLEET.call(VECTORD, "POST", "/index", Map.of("name", "kept", "dim", 3, "distance", "l2")).status());
        assertEquals(200, keyed("POST", "/index/kept/add", body("p", "qq"), "k-4").status());
        assertEquals(204, FLEET.call(VECTORD, "DELETE", "/index/kept/items/p", null).status());
        FLEET.stop(VECTORD); // graceful: a snapshot, the WAL records it covers deleted, the keys in its .idem
        FLEET.start(VECTORD);
        assertEquals(0, FLEET.call(VECTORD, "GET", "/index/kept", null).body().get("replayed_records").asInt());
        Reply again = keyed("POST", "/index/kept/add", body("p", "qq"), "k-4");
        assertTrue(again.replayed());
        assertEquals(404, FLEET.call(VECTORD, "GET", "/index/kept/items/p", null).status());
        assertEquals(409, keyed("POST", "/index/kept/add", body("p"), "k-4").status());
    }
}
