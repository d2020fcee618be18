package dev.lakehouse.queryd.result;

import dev.lakehouse.common.error.ApiException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A result read batch by batch through DuckDB's Arrow export (C data interface), in the query's share of the
 * result memory. Each batch replaces the one before in {@link #root}, so a query holds one batch at a time.
 */
final class ArrowBatches implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ArrowBatches.class);
    private final ResultSource source;
    private final ResultMemory memory;
    private final ResultFormat format;
    private BufferAllocator allocator;
    private ArrowReader reader;

    ArrowBatches(ResultSource source, ResultMemory memory, ResultFormat format) {
        this.source = source;
        this.memory = memory;
        this.format = format;
    }

    /** Opens the export and loads the first batch (false: the result is empty). */
    boolean begin() throws SQLException {
        allocator = memory.newQueryAllocator();
        reader = (ArrowReader) source.resultSet().arrowExportStream(allocator, memory.batchRows(format));
        return next();
    }

    VectorSchemaRoot root() throws IOException {
        return reader.getVectorSchemaRoot();
    }

    ArrowReader reader() {
        return reader;
    }

    /** An off-heap buffer of {@code bytes} in the query's share of the result memory, released with the batches. */
    ArrowBuf scratch(long bytes) {
        try {
            return allocator.buffer(bytes);
        } catch (OutOfMemoryException e) {
            throw memory.overBudget(e, allocator);
        }
    }

    /** Loads the next batch into {@link #root}; false at the end. A budget overrun is a typed error. */
    boolean next() throws SQLException {
        try {
            return reader.loadNextBatch();
        } catch (OutOfMemoryException e) {
            throw memory.overBudget(e, allocator);
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof OutOfMemoryException oom) { // the import wraps it ("Could not load buffers ...")
                    throw memory.overBudget(oom, allocator);
                }
            }
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            if (msg.contains("Out of Memory")) {
                throw new ApiException(507, "the engine ran out of memory: " + firstLine(msg),
                        Map.of("code", "engine_memory_exhausted"), e);
            }
            throw new SQLException(msg, e); // the engine's own error, translated by the caller
        }
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("").trim();
    }

    @Override
    public void close() {
        try {
            if (reader != null) {
                reader.close();
            }
        } catch (IOException e) {
            // the reader's buffers are released with the allocator below
        } finally {
            if (allocator != null) {
                try {
                    allocator.close();
                } catch (IllegalStateException e) {
                    // a batch whose import failed over the budget keeps a few hundred bytes of C-data structs
                    // accounted (Arrow 19); reported, not thrown over an answer that is already out
                    log.debug("result allocator: {}", e.getMessage());
                }
            }
        }
    }
}
