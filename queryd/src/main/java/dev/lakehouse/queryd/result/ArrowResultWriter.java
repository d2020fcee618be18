package dev.lakehouse.queryd.result;

import dev.lakehouse.queryd.exec.QueryRunner;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.sql.SQLException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

/**
 * Arrow IPC stream straight from DuckDB's Arrow export (C data interface, no row-by-row copy): the schema,
 * then record batches as DuckDB produces them, the last one cut at the row limit.
 */
final class ArrowResultWriter implements ResultWriter {
    private final QueryRunner.Running query;
    private final long limit;
    private final ArrowSupport arrow;
    private BufferAllocator allocator;
    private ArrowReader reader;
    private boolean more;
    private long rows;

    ArrowResultWriter(QueryRunner.Running query, long limit, ArrowSupport arrow) {
        this.query = query;
        this.limit = limit;
        this.arrow = arrow;
    }

    @Override
    public void begin() throws SQLException {
        allocator = arrow.newQueryAllocator();
        reader = (ArrowReader) query.resultSet().arrowExportStream(allocator, arrow.batchRows());
        try {
            more = reader.loadNextBatch();
        } catch (IOException e) {
            throw new SQLException(e.getMessage(), e);
        }
    }

    @Override
    public void write(OutputStream out) throws IOException {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        try (ArrowStreamWriter w = new ArrowStreamWriter(root, reader, Channels.newChannel(out))) {
            w.start();
            while (more && rows < limit) {
                int n = root.getRowCount();
                if (rows + n > limit) {
                    root.setRowCount((int) (limit - rows));
                }
                if (root.getRowCount() > 0) {
                    w.writeBatch();
                }
                rows += root.getRowCount();
                more = rows < limit && reader.loadNextBatch();
            }
            w.end();
        }
    }

    @Override
    public long rows() {
        return rows;
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
                allocator.close();
            }
        }
    }
}
