package dev.lakehouse.vectord;

import static dev.lakehouse.common.config.Service.STORAGED;
import static dev.lakehouse.common.config.Service.VECTORD;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.vectord.store.IndexStore;
import dev.lakehouse.testkit.Http.Reply;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** vectord's refusals carry their stable codes on the wire (issue 26: each pinned by its text). */
class VectordErrorCodesTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start).with(VECTORD, VectordMain::start);

    @Test
    void creatingAnIndexThatExistsIsIndexExists() {
        assertEquals(201, FLEET.call(VECTORD, "POST", "/index", Map.of("name", "twice", "dim", 4)).status());
        Reply again = FLEET.call(VECTORD, "POST", "/index", Map.of("name", "twice", "dim", 4));
        assertEquals(409, again.status(), String.valueOf(again.body()));
        assertEquals("index_exists", again.body().path("code").asText(), again.body().toString());
        assertEquals(409, again.body().path("status").asInt(), again.body().toString());
    }

    static void assertRefused(int status, String code, Reply r) {
        assertEquals(status, r.status(), String.valueOf(r.body()));
        assertEquals(code, r.body().path("code").asText(), r.body().toString());
        assertEquals(status, r.body().path("status").asInt(), r.body().toString());
    }

    @Test
    void anIdempotencyKeyWithASpaceIsBadIdempotencyKey() {
        assertEquals(201, FLEET.call(VECTORD, "POST", "/index", Map.of("name", "keyed", "dim", 2)).status());
        Map<String, Object> add = Map.of("items", List.of(Map.of("id", "a", "vector", new float[] {1, 0})));
        assertRefused(400, ErrorCodes.BAD_IDEMPOTENCY_KEY,
                FLEET.call(VECTORD, "POST", "/index/keyed/add", add, Map.of("Idempotency-Key", "has a space")));
    }

    @Test
    void anIndexWhoseStoredFileIsNotLhv1IsIndexFailedAfterARestart() {
        FLEET.storage().put(IndexStore.key("rotten"), "not an LHV1 file at all".getBytes(StandardCharsets.UTF_8));
        FLEET.stop(VECTORD);
        FLEET.start(VECTORD);
        assertRefused(409, ErrorCodes.INDEX_FAILED,
                FLEET.call(VECTORD, "POST", "/index/rotten/search", Map.of("vector", new float[] {1, 0})));
    }
}
