package dev.lakehouse.common.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.Conflict;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The record format and its rules; the services' tests cover the same store over the real storaged. */
class IdempotencyStoreTest {
    /** Records in a map: the format is what is under test here, not the storage. */
    static final class MapRecords implements RecordStorage {
        final TreeMap<String, byte[]> map = new TreeMap<>();

        public Optional<byte[]> get(String key) {
            return Optional.ofNullable(map.get(key));
        }

        public void put(String key, byte[] bytes) {
            map.put(key, bytes);
        }

        public void delete(String key) {
            map.remove(key);
        }

        public List<Stored> list(String prefix) {
            return map.keySet().stream().filter(k -> k.startsWith(prefix)).map(k -> new Stored(k, Instant.EPOCH)).toList();
        }
    }

    final MapRecords records = new MapRecords();
    final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    final IdempotencyStore store = new IdempotencyStore(records, "svc", Duration.ofHours(24), Clock.fixed(t0, ZoneOffset.UTC));

    @Test
    void aRecordIsFoundForTheSameRequestAndTheOtherRequestIs409KeyReused() {
        String h = IdempotencyStore.hash("a".getBytes(), "b".getBytes());
        store.done(store.pending("s", "k", h, Map.of("file", "f")), 201, Map.of("version", 3));
        IdempotencyRecord r = store.find("s", "k", h).orElseThrow();
        assertEquals(IdempotencyRecord.State.DONE, r.state());
        assertEquals(3, r.body().get("version").asInt());
        assertEquals("f", r.plan().get("file"));
        Conflict c = assertThrows(Conflict.class, () -> store.find("s", "k", IdempotencyStore.hash("a".getBytes(), "c".getBytes())));
        assertEquals(IdempotencyStore.KEY_REUSED, c.details().get("code"));
        assertTrue(records.map.firstKey().startsWith("_idempotency/svc/s/"), records.map.firstKey());
    }

    @Test
    void hashesOfDifferentPartListsNeverCollideByConcatenation() {
        assertTrue(!IdempotencyStore.hash("ab".getBytes(), "c".getBytes()).equals(IdempotencyStore.hash("a".getBytes(), "bc".getBytes())));
    }

    @Test
    void theReaderIgnoresUnknownFieldsAndRefusesANewerFormat() {
        String key = store.objectKey("s", "k");
        records.put(key, ("{\"format_version\":1,\"scope\":\"s\",\"key\":\"k\",\"request_hash\":\"h\",\"state\":\"PENDING\","
                + "\"created_at\":\"2026-01-01T00:00:00Z\",\"added_later\":{\"x\":1}}").getBytes(StandardCharsets.UTF_8));
        assertEquals(IdempotencyRecord.State.PENDING, store.find("s", "k", "h").orElseThrow().state());
        records.put(key, ("{\"format_version\":2,\"scope\":\"s\",\"key\":\"k\",\"request_hash\":\"h\",\"state\":\"DONE\","
                + "\"created_at\":\"2026-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8));
        assertThrows(Conflict.class, () -> store.find("s", "k", "h"));
    }

    @Test
    void aRecordOlderThanTheWindowIsForgottenAndSwept() {
        store.pending("s", "k", "h", Map.of());
        IdempotencyStore dayLater = new IdempotencyStore(records, "svc", Duration.ofHours(24),
                Clock.fixed(t0.plus(Duration.ofHours(25)), ZoneOffset.UTC));
        assertTrue(dayLater.find("s", "k", "other").isEmpty(), "expired: the key may be used afresh");
        assertEquals(1, dayLater.sweep());
        assertTrue(records.map.isEmpty());
    }

    @Test
    void aSecondRequestWithAKeyStillRunningIs409AndBadKeysAre400() {
        try (IdempotencyStore.Claim c = store.claim("s", "k")) {
            Conflict e = assertThrows(Conflict.class, () -> store.claim("s", "k"));
            assertEquals(IdempotencyStore.IN_FLIGHT, e.details().get("code"));
        }
        store.claim("s", "k").close();
        assertThrows(BadRequest.class, () -> IdempotencyStore.keyOf(""));
        assertThrows(BadRequest.class, () -> IdempotencyStore.keyOf("has space"));
        assertThrows(BadRequest.class, () -> IdempotencyStore.keyOf("x".repeat(256)));
        assertEquals("ok-key_1", IdempotencyStore.keyOf("ok-key_1"));
    }
}
