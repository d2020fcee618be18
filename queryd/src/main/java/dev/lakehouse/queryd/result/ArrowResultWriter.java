package dev.lakehouse.queryd.result;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

/** Arrow IPC stream straight from DuckDB's Arrow export (no row-by-row copy): the schema, then every batch. */
final class ArrowResultWriter implements ResultWriter {
    private final ResultSource source;
    private final ArrowBatches batches;
    private final int sendAhead;
    private ByteSink sink;
    private boolean more;
    private long rows;

    /** @param sendAhead full 256 KiB buffers a sender thread may have left to write ({@link ByteSink}) */
    ArrowResultWriter(ResultSource source, ArrowBatches batches, int sendAhead) {
        this.source = source;
        this.batches = batches;
        this.sendAhead = sendAhead;
    }

    @Override
    public void begin() throws SQLException {
        more = batches.begin();
    }

    @Override
    public void write(OutputStream out) throws IOException, SQLException {
        VectorSchemaRoot root = batches.root();
        // the IPC writer's many small pieces (metadata, padding, each buffer) are gathered into 256 KiB writes, and
        // the next batch is converted while a sender thread writes the last one out
        try (ByteSink s = new ByteSink(out, 1 << 18, sendAhead)) {
            sink = s;
            try (ArrowStreamWriter w = new ArrowStreamWriter(root, batches.reader(), s.channel())) {
                w.start();
                while (more) {
                    if (root.getRowCount() > 0) {
                        w.writeBatch();
                    }
                    rows += root.getRowCount();
                    source.checkDeadline();
                    more = batches.next();
                }
                w.end();
            }
            s.flush();
        }
    }

    @Override
    public long bytes() {
        return sink == null ? 0 : sink.bytes();
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public void close() {
        batches.close();
    }
}
