package dev.lakehouse.vectord.store;

import dev.lakehouse.vectord.engine.VectorIndex;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An index slot in the registry: a live index with its save bookkeeping, or an index whose file failed to
 * load (kept visible with the reason, so GET /index and /health show it).
 */
public final class ManagedIndex {
    final String name;
    final VectorIndex index;
    final String failure;
    /** Serializes saves (and delete) of this index. */
    final ReentrantLock saveLock = new ReentrantLock();
    volatile boolean closed;
    volatile long savedChanges;
    volatile Instant lastSavedAt;
    volatile long lastSaveBytes;
    volatile long lastSaveMs;
    volatile String lastSaveError;
    ScheduledFuture<?> pending;
    /** System.nanoTime of the last change, and of the first change not yet saved (0 = none). */
    volatile long lastChangeNanos;
    volatile long firstUnsavedNanos;

    private ManagedIndex(String name, VectorIndex index, String failure) {
        this.name = name;
        this.index = index;
        this.failure = failure;
    }

    static ManagedIndex live(VectorIndex index) {
        return new ManagedIndex(index.name(), index, null);
    }

    static ManagedIndex failed(String name, String failure) {
        return new ManagedIndex(name, null, failure);
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

    public boolean dirty() {
        return index != null && index.changes() > savedChanges;
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

    public String lastSaveError() {
        return lastSaveError;
    }
}
