package dev.lakehouse.queryd.result;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/** The process-wide Arrow allocator; each query borrows a child capped at {@code perQueryBytes}. */
public final class ArrowSupport implements AutoCloseable {
    private final RootAllocator root;
    private final long perQueryBytes;
    private final int batchRows;

    public ArrowSupport(long maxBytes, long perQueryBytes, int batchRows) {
        this.root = new RootAllocator(maxBytes);
        this.perQueryBytes = perQueryBytes;
        this.batchRows = batchRows;
    }

    BufferAllocator newQueryAllocator() {
        return root.newChildAllocator("query", 0, perQueryBytes);
    }

    int batchRows() {
        return batchRows;
    }

    long allocatedBytes() {
        return root.getAllocatedMemory();
    }

    @Override
    public void close() {
        root.close();
    }
}
