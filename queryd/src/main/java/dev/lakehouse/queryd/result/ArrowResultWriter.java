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
    private ByteSink sink;
    private boolean more;
    private long rows;

    ArrowResultWriter(ResultSource source, ArrowBatches batches) {
        this.source = source;
        this.batches = batches;
    }

    @Override
    public void begin() throws SQLException {
        more = batches.begin();
    }

    @Override
    public void write(OutputStream out) throws IOException, SQLException {
        VectorSchemaRoot root = batches.root();
        // the IPC writer's many small pieces (metadata, padding, each buffer) are gathered into 256 KiB writes,
        // each off-heap buffer copied once on the way
        sink = new ByteSink(out, 1 << 18);
        try (ArrowStreamWriter w = new ArrowStreamWriter(root, batches.reader(), sink.channel())) {
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
        sink.flush();
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
