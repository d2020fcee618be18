package dev.lakehouse.queryd.result;

import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.PayloadTooLarge;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.memory.RootAllocator;

/**
 * The result-memory budget. Every answer, in every format, leaves DuckDB through its Arrow export into buffers
 * off the Java heap, accounted here: each query borrows a child allocator capped at {@code perQueryBytes} (what one
 * query may hold at once: a batch being written), and all of them together are capped at {@code maxBytes}. Over
 * either cap the query fails with a typed error (413 / 507) instead of queryd running out of heap: JDBC's row
 * reader turned each chunk of 2,048 values into Java objects, so one query of large strings could kill the process.
 */
public final class ResultMemory implements AutoCloseable {
    private final RootAllocator root;
    private final long perQueryBytes;
    private final int arrowBatchRows;
    private final int textBatchRows;
    private final int csvBatchRows;

    public ResultMemory(long maxBytes, long perQueryBytes, int arrowBatchRows, int textBatchRows, int csvBatchRows) {
        this.root = new RootAllocator(maxBytes);
        this.perQueryBytes = perQueryBytes;
        this.arrowBatchRows = arrowBatchRows;
        this.textBatchRows = textBatchRows;
        this.csvBatchRows = csvBatchRows;
    }

    BufferAllocator newQueryAllocator() {
        return root.newChildAllocator("query", 0, perQueryBytes);
    }

    /**
     * Rows per batch DuckDB hands over. A JSON page needs only small ones. An export's batches are large: each batch
     * is a crossing of the C data interface and an import into Java whatever its size, and a 3M-row CSV export in
     * batches of 2,048 lines made 1,465 of them (ADR 0027).
     */
    int batchRows(ResultFormat format) {
        return switch (format) {
            case ARROW -> arrowBatchRows;
            case CSV -> csvBatchRows;
            case JSON -> textBatchRows;
        };
    }

    /** 413 when the query's own cap was hit, 507 when queryd's total was. */
    ApiException overBudget(OutOfMemoryException e, BufferAllocator query) {
        boolean own = e.getOutcomeDetails().map(d -> d.getFailedAllocator() == query).orElse(false);
        if (own) {
            return new PayloadTooLarge("a batch of the result needs more than the per-query result memory of "
                    + perQueryBytes + " bytes (queryd.result_query_max_bytes); select fewer or smaller columns",
                    Map.of("code", "result_too_large", "max_bytes", perQueryBytes));
        }
        return new ApiException(507, "queryd's result memory (" + root.getLimit()
                + " bytes, queryd.result_max_bytes) is taken by other queries; retry shortly",
                Map.of("code", "result_memory_exhausted", "max_bytes", root.getLimit()), e);
    }

    public Map<String, Long> stats() {
        return Map.of("allocated_bytes", root.getAllocatedMemory(), "peak_bytes", root.getPeakMemoryAllocation(),
                "max_bytes", root.getLimit(), "query_max_bytes", perQueryBytes);
    }

    @Override
    public void close() {
        root.close();
    }
}
