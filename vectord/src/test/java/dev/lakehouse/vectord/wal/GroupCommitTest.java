package dev.lakehouse.vectord.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.vectord.engine.VectorItem;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The order the group commit releases stored records in (ADR 0051): batches of fresh ids in consecutive
 * records apply side by side, a batch that touches an id still applying in an earlier record waits for it,
 * and {@code appliedThrough} only counts the fully applied prefix of records.
 */
class GroupCommitTest {
    final ExecutorService pool = Executors.newCachedThreadPool();
    final List<WalRecord> stored = new CopyOnWriteArrayList<>();
    final GroupCommit wal = new GroupCommit(1, 0, stored::add, pool, 0, 64L << 20, bytes -> {});

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    static List<WalOp> puts(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> (WalOp) new WalOp.Put(new VectorItem(id, new float[] {1f, 0f}, null))).toList();
    }

    /** Submits one batch and waits until its record is stored and released to it; its sequence. */
    long durable(List<WalOp> ops) throws Exception {
        GroupCommit.Ticket t = wal.submit(ops);
        return CompletableFuture.supplyAsync(t::awaitDurable, pool).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aRecordOfOtherIdsIsReleasedWhileAnEarlierRecordIsStillApplying() throws Exception {
        GroupCommit.Ticket first = wal.submit(puts("a1", "a2"));
        long s1 = first.awaitDurable(); // first is "applying": applied() not called yet
        GroupCommit.Ticket second = wal.submit(puts("b1", "b2"));
        long s2 = CompletableFuture.supplyAsync(second::awaitDurable, pool).get(30, TimeUnit.SECONDS);
        assertEquals(s1 + 1, s2);
        second.applied();
        assertEquals(s1 - 1, wal.appliedThrough(), "record 2 is applied but record 1 is not: nothing more is covered");
        first.applied();
        assertEquals(s2, wal.appliedThrough());
    }

    @Test
    void aBatchTouchingAnIdOfAnEarlierRecordStillApplyingWaitsForIt() throws Exception {
        GroupCommit.Ticket first = wal.submit(puts("x", "a"));
        long s1 = first.awaitDurable();
        GroupCommit.Ticket replace = wal.submit(puts("x"));
        CompletableFuture<Long> released = CompletableFuture.supplyAsync(replace::awaitDurable, pool);
        // the record of the replace is stored, yet it must not apply before the first put of x has
        while (stored.size() < 2) {
            Thread.sleep(5);
        }
        Thread.sleep(200);
        assertFalse(released.isDone(), "the replace of x was released while the first put of x was still applying");
        first.applied();
        assertEquals(s1 + 1, released.get(30, TimeUnit.SECONDS));
        replace.applied();
        assertEquals(s1 + 1, wal.appliedThrough());
    }

    @Test
    void recordsAreStoredInSequenceWhateverOrderTheyApplyIn() throws Exception {
        GroupCommit.Ticket first = wal.submit(puts("a"));
        first.awaitDurable();
        long s2 = durable(puts("b"));
        long s3 = durable(puts("c"));
        assertTrue(s2 < s3);
        assertEquals(List.of(1L, 2L, 3L), stored.stream().map(WalRecord::sequence).toList());
        assertEquals(0, wal.appliedThrough());
    }
}
