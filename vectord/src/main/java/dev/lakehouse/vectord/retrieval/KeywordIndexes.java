package dev.lakehouse.vectord.retrieval;

import dev.lakehouse.vectord.engine.VectorIndex;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link Bm25Index} per vector index, rebuilt from its live items on the first keyword search after a
 * change (the vector index's {@code changes()} moved, or a compaction swapped the graph). Nothing is stored:
 * after a restart the first keyword search rebuilds it from the recovered items, so it can never disagree
 * with them. The cost is one rebuild per batch of writes that is followed by a search (ADR 0025 has figures).
 */
public final class KeywordIndexes {
    private record Built(VectorIndex of, long changes, Bm25Index bm25) {}

    private final Map<String, Built> built = new ConcurrentHashMap<>();

    public Bm25Index of(VectorIndex index) {
        Built b = built.get(index.name());
        long changes = index.changes();
        if (b != null && b.of == index && b.changes == changes) {
            return b.bm25;
        }
        synchronized (this) {
            b = built.get(index.name());
            if (b != null && b.of == index && b.changes == index.changes()) {
                return b.bm25;
            }
            long at = index.changes(); // read before the items: a change during the build only forces another
            Built fresh = new Built(index, at, new Bm25Index(index.items()));
            built.put(index.name(), fresh);
            return fresh.bm25;
        }
    }

    /** Estimated heap of every keyword index built. */
    public long memoryBytes() {
        long b = 0;
        for (Built x : built.values()) {
            b += x.bm25.memoryBytes();
        }
        return b;
    }

    /** Forgets a deleted index. */
    public void drop(String name) {
        built.remove(name);
    }
}
