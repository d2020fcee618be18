package dev.lakehouse.queryd.result;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

/** Arrow IPC stream straight from DuckDB's Arrow export (no row-by-row copy): the schema, then every batch. */
final class ArrowResultWriter implements ResultWriter {
    private final ResultSource source;
    private final ArrowBatches batches;
    /** The small pieces' off-heap buffer (ADR 0042, session 11), like the text writers' 256 KiB on the heap. */
    private static final int GATHER = 1 << 18;
    private DirectSink sink;
    private ArrowBuf gather;
    private boolean more;
    private long rows;

    ArrowResultWriter(ResultSource source, ArrowBatches batches) {
        this.source = source;
        this.batches = batches;
    }

    @Override
    public void begin() throws SQLException {
        more = batches.begin();
        gather = batches.scratch(GATHER);
    }

    @Override
    public void write(OutputStream out) throws IOException, SQLException {
        VectorSchemaRoot root = batches.root();
        // the batches' large off-heap buffers go to the response as they are, the IPC writer's small pieces
        // (metadata, validity, padding) gathered into one off-heap buffer: no byte of the stream is on the heap
        sink = new DirectSink(out instanceof ResponseBody body ? body : new ResponseBody(out), gather.nioBuffer(0, GATHER));
        try (ArrowStreamWriter w = new ArrowStreamWriter(root, batches.reader(), sink)) {
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
        if (gather != null) {
            gather.close();
        }
        batches.close();
    }
}
