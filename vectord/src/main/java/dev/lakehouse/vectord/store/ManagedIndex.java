package dev.lakehouse.vectord.store;

import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.wal.GroupCommit;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An index slot in the registry: a live index with its WAL writer and snapshot bookkeeping, or an index
 * whose snapshot failed to load (kept visible with the reason, so GET /index and /health show it).
 * Only {@link IndexRegistry} changes it; everyone else reads.
 */
public final class ManagedIndex {
    final String name;
    /** Swapped by a compaction (the old graph forwards late applies to the new one). */
    volatile VectorIndex index;
    final String failure;
    /** Which life of the index its WAL records belong to. */
    final long incarnation;
    /** Its Idempotency-Keys within the window (null for a failed slot). */
    final Idempotency idem;
    /** Null when the WAL is off (bench reference). */
    GroupCommit wal;
    /** Serializes snapshots, compactions and delete of this index. */
    final ReentrantLock saveLock = new ReentrantLock();
    volatile boolean closed;
    /** WAL sequence the stored snapshot covers; changes counter it captured (WAL off). */
    volatile long snapshotSeq;
    volatile long savedChanges;
    volatile Instant lastSavedAt;
    volatile long lastSaveBytes;
    volatile long lastSaveMs;
    volatile long lastPauseMs;
    volatile String lastSaveError;
    volatile long lastFailureNanos;
    /** WAL written since the last snapshot: bytes, records, and when the first of them was stored (0 = none). */
    final AtomicLong walBytes = new AtomicLong();
    final AtomicLong walRecords = new AtomicLong();
    volatile long firstUnsnapshottedNanos;
    /** What the last recovery replayed, and why it stopped early (null: it did not). */
    volatile int replayedRecords;
    volatile String walProblem;
    volatile boolean compacting;
    volatile String lastCompaction;

    private ManagedIndex(String name, VectorIndex index, String failure, long incarnation, Idempotency idem) {
        this.name = name;
        this.index = index;
        this.failure = failure;
        this.incarnation = incarnation;
        this.idem = idem;
    }

    static ManagedIndex live(VectorIndex index, long incarnation, Idempotency idem) {
        return new ManagedIndex(index.name(), index, null, incarnation, idem);
    }

    static ManagedIndex failed(String name, String failure) {
        return new ManagedIndex(name, null, failure, 0, null);
    }

    public String name() {
        return name;
    }

    /** The live index, or null when it failed to load. */
    public VectorIndex index() {
        return index;
    }

    public String failure() {
        return failure;
    }

    /** Every record up to this sequence is stored and applied (0 with the WAL off). */
    public long walSeq() {
        return wal == null ? 0 : wal.appliedThrough();
    }

    /** Changes not yet in a snapshot (with the WAL on they are durable anyway, in the WAL). */
    public boolean dirty() {
        if (index == null) {
            return false;
        }
        return wal != null ? walSeq() > snapshotSeq : index.changes() > savedChanges;
    }

    public long snapshotSeq() {
        return snapshotSeq;
    }

    public long walBytesSinceSnapshot() {
        return walBytes.get();
    }

    public long walRecordsSinceSnapshot() {
        return walRecords.get();
    }

    public Instant lastSavedAt() {
        return lastSavedAt;
    }

    public long lastSaveBytes() {
        return lastSaveBytes;
    }

    public long lastSaveMs() {
        return lastSaveMs;
    }

    public long lastPauseMs() {
        return lastPauseMs;
    }

    public String lastSaveError() {
        return lastSaveError;
    }

    public int replayedRecords() {
        return replayedRecords;
    }

    public String walProblem() {
        return walProblem;
    }

    public boolean compacting() {
        return compacting;
    }

    public String lastCompaction() {
        return lastCompaction;
    }
}
