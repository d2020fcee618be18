package dev.lakehouse.vectord;

import static dev.lakehouse.common.config.Service.STORAGED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import dev.lakehouse.vectord.engine.Distance;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.VectorItem;
import dev.lakehouse.vectord.store.Durability;
import dev.lakehouse.vectord.store.IndexRegistry;
import dev.lakehouse.vectord.store.IndexStore;
import dev.lakehouse.vectord.store.ManagedIndex;
import dev.lakehouse.vectord.wal.WalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Recovery = newest snapshot + the WAL after it, over the real storaged. A "crash" is a registry that is
 * simply abandoned (no shutdown snapshot, like kill -9); recovery is a new registry loading from storage.
 */
class WalRecoveryTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start);
    static StorageClient storage;
    static WalStore wal;
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        tmp = Files.createTempDirectory("vectord-wal");
        storage = new StorageClient(FLEET.url(STORAGED), S3.credential());
        wal = new WalStore(storage);
    }


    /** Snapshots only when asked (huge thresholds), so what survives a crash is the WAL's doing. */
    static IndexRegistry registry() {
        Durability d = new Durability(true, Duration.ZERO, 64L << 20, Long.MAX_VALUE, Duration.ofDays(1),
                Duration.ofSeconds(1), 1L << 30, 0.2, 1_000_000, Duration.ofHours(1), 1000);
        return new IndexRegistry(new IndexStore(storage, tmp), storage, d);
    }

    static IndexRegistry recovered() {
        IndexRegistry r = registry();
        r.loadAll();
        return r;
    }

    static VectorItem item(String id, float x) {
        return new VectorItem(id, new float[] {x, 1, 2, 3}, "{\"id\":\"" + id + "\"}");
    }

    static IndexRegistry withIndex(String name) {
        IndexRegistry r = registry();
        r.create(new IndexSpec(name, 4, Distance.L2, 8, 40, 20));
        return r;
    }

    static List<Long> sequences(String name) {
        return wal.list(name).stream().map(WalStore.Entry::sequence).toList();
    }

    @Test
    void acknowledgedAddsAndDeletesSurviveACrashWithNoSnapshot() {
        IndexRegistry r = withIndex("crash");
        List<VectorItem> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(item("c" + i, i));
        }
        r.add("crash", batch);
        r.remove("crash", "c3");
        r.add("crash", List.of(item("c5", 500)));
        // crash: r is abandoned, nothing flushed

        IndexRegistry back = recovered();
        assertEquals(39, back.live("crash").size());
        assertTrue(back.item("crash", "c3").isEmpty(), "an acknowledged delete stays deleted");
        assertEquals(500f, back.item("crash", "c5").orElseThrow().vector()[0], "the replace is what recovered");
        assertEquals("{\"id\":\"c39\"}", back.item("crash", "c39").orElseThrow().metadataJson());
        assertEquals(3, back.slot("crash").replayedRecords());
        assertNull(back.slot("crash").walProblem());
    }

    @Test
    void replayStartsAfterTheSequenceTheSnapshotCoversAndCoveredRecordsAreDeleted() {
        IndexRegistry r = withIndex("snap");
        r.add("snap", List.of(item("a", 1)));
        r.add("snap", List.of(item("b", 2)));
        assertEquals(List.of(1L, 2L), sequences("snap"));
        ManagedIndex m = r.snapshot("snap");
        assertEquals(2, m.snapshotSeq());
        assertEquals(List.of(), sequences("snap"), "the records the snapshot covers are gone");
        r.add("snap", List.of(item("c", 3)));
        assertEquals(List.of(3L), sequences("snap"));

        IndexRegistry back = recovered();
        assertEquals(3, back.live("snap").size());
        assertEquals(1, back.slot("snap").replayedRecords(), "only the record after the snapshot is replayed");
        assertEquals(3, back.slot("snap").walSeq());
        back.add("snap", List.of(item("d", 4)));
        assertEquals(List.of(3L, 4L), sequences("snap"), "the log goes on after the recovered sequence");
    }

    @Test
    void theRecordsReplayedAtStartCountTowardTheSnapshotSizeThreshold() {
        IndexRegistry r = withIndex("bytes");
        r.add("bytes", List.of(item("a", 1), item("b", 2)));
        r.add("bytes", List.of(item("c", 3)));
        long stored = wal.list("bytes").stream().filter(e -> !e.remembered()).mapToLong(WalStore.Entry::size).sum();
        assertTrue(stored > 0 && r.slot("bytes").walBytesSinceSnapshot() > 0);
        // crash, then recover: the WAL since the snapshot is what storage holds, or the size trigger starts over

        IndexRegistry back = recovered();
        assertEquals(2, back.slot("bytes").replayedRecords());
        assertEquals(stored, back.slot("bytes").walBytesSinceSnapshot());
        assertEquals(2, back.slot("bytes").walRecordsSinceSnapshot());
    }

    @Test
    void aDuplicateOfACoveredRecordIsNeverReplayedSoADeleteStaysDeleted() {
        IndexRegistry r = withIndex("dup");
        r.add("dup", List.of(item("x", 1), item("y", 2)));
        String key1 = WalStore.key("dup", wal.list("dup").get(0).incarnation(), 1);
        byte[] record1 = storage.getBytes(key1);
        r.remove("dup", "x");
        r.snapshot("dup");
        storage.put(key1, record1); // the covered record is back (a delete that failed, a retried PUT)

        IndexRegistry back = recovered();
        assertTrue(back.item("dup", "x").isEmpty(), "x would be resurrected by replaying record 1");
        assertEquals(1, back.live("dup").size());
        assertEquals(0, back.slot("dup").replayedRecords());
        assertFalse(storage.exists(key1), "the stale record is dropped at recovery");
    }

    @Test
    void replayingARecordTwiceGivesTheSameState() {
        IndexRegistry r = withIndex("twice");
        r.add("twice", List.of(item("p", 1), item("q", 2)));
        r.remove("twice", "q");
        IndexRegistry once = recovered();
        int sizeOnce = once.live("twice").size();
        // a second crash before any snapshot replays the same two records again, onto the same snapshot
        IndexRegistry again = recovered();
        assertEquals(sizeOnce, again.live("twice").size());
        assertEquals(1, again.live("twice").size());
        assertTrue(again.item("twice", "q").isEmpty());
        assertEquals(2, again.slot("twice").replayedRecords());
    }

    @Test
    void aTornRecordEndsReplayAtTheLastValidOneAndIsReported() {
        IndexRegistry r = withIndex("torn");
        r.add("torn", List.of(item("r1", 1)));
        r.add("torn", List.of(item("r2a", 2), item("r2b", 2)));
        r.add("torn", List.of(item("r3", 3)));
        WalStore.Entry second = wal.list("torn").get(1);
        byte[] bytes = storage.getBytes(second.key());
        bytes[bytes.length / 2] ^= 0x01;
        storage.put(second.key(), bytes);

        IndexRegistry back = recovered();
        assertEquals(1, back.live("torn").size(), "nothing of record 2 or after it is applied");
        assertTrue(back.item("torn", "r1").isPresent());
        assertTrue(back.item("torn", "r2a").isEmpty() && back.item("torn", "r2b").isEmpty());
        assertTrue(back.item("torn", "r3").isEmpty(), "record 3 follows the torn one");
        String problem = back.walProblems().get("torn");
        assertTrue(problem.contains("record 2") && problem.contains("checksum mismatch"), problem);
        assertEquals(List.of(1L), sequences("torn"), "the records after the stop are dropped, not left to replay later");
        back.add("torn", List.of(item("r2new", 9)));
        assertEquals(2, recovered().live("torn").size(), "the log continues at sequence 2 and recovers cleanly");
    }

    @Test
    void aMissingRecordIsAGapAndNothingAfterItIsApplied() {
        IndexRegistry r = withIndex("gap");
        r.add("gap", List.of(item("g1", 1)));
        r.add("gap", List.of(item("g2", 2)));
        r.add("gap", List.of(item("g3", 3)));
        storage.delete(wal.list("gap").get(1).key());

        IndexRegistry back = recovered();
        assertEquals(1, back.live("gap").size());
        assertTrue(back.item("gap", "g3").isEmpty());
        assertTrue(back.walProblems().get("gap").contains("record 2 is missing"), back.walProblems().toString());
    }

    @Test
    void aRecreatedIndexNeverReplaysTheRecordsOfItsPreviousLife() {
        IndexRegistry r = withIndex("life");
        r.add("life", List.of(item("old", 1)));
        WalStore.Entry oldRecord = wal.list("life").get(0);
        byte[] oldBytes = storage.getBytes(oldRecord.key());
        r.delete("life");
        assertEquals(List.of(), sequences("life"));
        storage.put(oldRecord.key(), oldBytes); // as if deleting the old life's WAL had failed
        r.create(new IndexSpec("life", 4, Distance.L2, 8, 40, 20));
        r.add("life", List.of(item("new", 2)));
        assertNotEquals(oldRecord.incarnation(), wal.list("life").stream()
                .filter(e -> e.sequence() == 1 && !e.key().equals(oldRecord.key())).findFirst().orElseThrow().incarnation());

        IndexRegistry back = recovered();
        assertTrue(back.item("life", "old").isEmpty(), "the old life's record must not come back");
        assertTrue(back.item("life", "new").isPresent());
        assertEquals(1, back.live("life").size());
        assertFalse(storage.exists(oldRecord.key()), "the old life's record is dropped at recovery");
    }

    @Test
    void concurrentBatchesShareRecordsAndAllSurvive() throws Exception {
        IndexRegistry r = withIndex("group");
        int threads = 4;
        int perThread = 25;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int tt = t;
            Thread th = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    r.add("group", List.of(item("t" + tt + "-" + i, i)));
                    if (i % 5 == 4) {
                        r.remove("group", "t" + tt + "-" + (i - 1));
                    }
                }
            });
            th.start();
            ts.add(th);
        }
        for (Thread t : ts) {
            t.join();
        }
        int expected = threads * (perThread - perThread / 5);
        assertEquals(expected, r.live("group").size());
        IndexRegistry back = recovered();
        assertEquals(expected, back.live("group").size());
        for (int t = 0; t < threads; t++) {
            assertTrue(back.item("group", "t" + t + "-3").isEmpty());
            assertTrue(back.item("group", "t" + t + "-4").isPresent());
        }
    }

    /** storaged answers 503 when its PUT slots are taken; a WAL append waits for a slot instead of failing the add. */
    @Test
    void walAppendsRideOutStoragedsPutLimit() throws Exception {
        try (dev.lakehouse.common.http.ServiceApp narrow = StoragedMain.start(
                FLEET.config(STORAGED, java.util.Map.of("storaged.max_concurrent_puts", "1")))) {
            StorageClient one = new StorageClient(narrow.baseUrl(), S3.credential());
            Durability d = new Durability(true, Duration.ZERO, 64L << 20, Long.MAX_VALUE, Duration.ofDays(1),
                    Duration.ofSeconds(1), 1L << 30, 0.2, 1_000_000, Duration.ofHours(1), 1000);
            IndexRegistry r = new IndexRegistry(new IndexStore(one, tmp), one, d);
            int indexes = 6;
            for (int i = 0; i < indexes; i++) {
                r.create(new IndexSpec("narrow" + i, 4, Distance.L2, 8, 40, 20));
            }
            List<Thread> ts = new ArrayList<>();
            java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicReference<String> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
            for (int t = 0; t < indexes * 2; t++) {
                int tt = t;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < 10; i++) {
                        try {
                            r.add("narrow" + (tt % indexes), List.of(item("n" + tt + "-" + i, i)));
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, e.toString());
                        }
                    }
                });
                th.start();
                ts.add(th);
            }
            for (Thread t : ts) {
                t.join();
            }
            assertEquals(0, failed.get(), () -> "no add may fail because storaged's PUT slots were busy: " + firstFailure.get());
            for (int i = 0; i < indexes; i++) {
                assertEquals(20, r.live("narrow" + i).size());
            }
        }
    }

    static IndexRegistry.Keyed key(String k, int variant) {
        byte[] hash = new byte[32];
        hash[0] = (byte) variant;
        return new IndexRegistry.Keyed(k, hash);
    }

    @Test
    void anIdempotencyKeyIsRememberedAcrossACrashFromItsWalRecord() {
        IndexRegistry r = withIndex("keyed");
        assertFalse(r.add("keyed", List.of(item("a", 1)), key("K", 1)).replayed());
        r.remove("keyed", "a");
        // crash
        IndexRegistry back = recovered();
        IndexRegistry.Result again = back.add("keyed", List.of(item("a", 1)), key("K", 1));
        assertTrue(again.replayed());
        assertEquals(1, again.added());
        assertTrue(back.item("keyed", "a").isEmpty(), "the retry after the crash did not write again");
        dev.lakehouse.common.error.Conflict reused = org.junit.jupiter.api.Assertions.assertThrows(
                dev.lakehouse.common.error.Conflict.class, () -> back.add("keyed", List.of(item("b", 1)), key("K", 2)));
        assertEquals("idempotency_key_reused", reused.details().get("code"));
    }

    @Test
    void anIdempotencyKeyOutlivesTheRecordsASnapshotDeletes() {
        IndexRegistry r = withIndex("keysnap");
        r.add("keysnap", List.of(item("a", 1)), key("S", 1));
        r.remove("keysnap", "a");
        r.snapshot("keysnap");
        assertTrue(wal.list("keysnap").stream().noneMatch(e -> !e.remembered()), "the records are gone");
        assertTrue(wal.list("keysnap").stream().anyMatch(WalStore.Entry::remembered), "the keys are beside the snapshot");
        // crash
        IndexRegistry back = recovered();
        assertTrue(back.add("keysnap", List.of(item("a", 1)), key("S", 1)).replayed());
        assertTrue(back.item("keysnap", "a").isEmpty());
    }
}
