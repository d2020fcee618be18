package dev.lakehouse.queryd.result;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The text formats: batch by batch, each cell's bytes copied from DuckDB's Arrow buffers to the output (no Java
 * string per value). A rendered result ({@link Rendering}) holds one text column per value (JSON) or one line per
 * row (CSV); an unrendered one
 * (EXPLAIN, the odd statement that cannot be wrapped) is read as Java objects, and so would a rendered column
 * DuckDB exported as a large string (it does not, with {@code arrow_large_buffer_size} off, its default).
 */
abstract class TextResultWriter implements ResultWriter {
    protected final ResultSource source;
    private final ArrowBatches batches;
    private boolean more;
    private long rows;
    private ByteSink sink;
    private byte[] buf = new byte[8192];

    TextResultWriter(ResultSource source, ArrowBatches batches) {
        this.source = source;
        this.batches = batches;
    }

    @Override
    public final void begin() throws SQLException {
        more = batches.begin();
    }

    @Override
    public final void write(OutputStream raw) throws IOException, SQLException {
        ByteSink out = new ByteSink(raw, 1 << 18);
        sink = out;
        header(out);
        VectorSchemaRoot root = batches.root();
        boolean open = true;
        while (more && open) {
            open = batch(out, root);
            if (open) {
                source.checkDeadline();
                more = batches.next();
            }
        }
        trailer(out, !open);
        out.flush();
    }

    /** Writes the rows of one batch, row by row; false when the answer is full before the batch's end. */
    boolean batch(ByteSink out, VectorSchemaRoot root) throws IOException {
        List<FieldVector> vectors = root.getFieldVectors();
        int n = root.getRowCount();
        for (int i = 0; i < n; i++) {
            if (!row(out, vectors, i, rows)) {
                return false;
            }
            rows++;
        }
        return true;
    }

    /** For a writer that wrote {@code n} rows of a batch at once. */
    final void counted(int n) {
        rows += n;
    }

    /** Before the first row. */
    abstract void header(OutputStream out) throws IOException;

    /** Writes row {@code i} of the batch, the {@code index}-th of the answer; false to stop before it (a page is full). */
    abstract boolean row(OutputStream out, List<FieldVector> vectors, int i, long index) throws IOException;

    /** After the last row; {@code cut}: rows were left (a JSON page). */
    abstract void trailer(OutputStream out, boolean cut) throws IOException;

    @Override
    public final long bytes() {
        return sink == null ? 0 : sink.bytes();
    }

    @Override
    public final long rows() {
        return rows;
    }

    @Override
    public final void close() {
        batches.close();
    }

    /** Copies the text of cell {@code i} into {@link #cell()}; its length, or -1 for NULL. */
    final int text(FieldVector v, int i) {
        if (v.isNull(i)) {
            return -1;
        }
        if (source.rendered() && v instanceof BaseVariableWidthVector w) {
            int start = w.getStartOffset(i);
            int len = w.getEndOffset(i) - start;
            ensure(len);
            w.getDataBuffer().getBytes(start, buf, 0, len);
            return len;
        }
        byte[] b = String.valueOf(v.getObject(i)).getBytes(StandardCharsets.UTF_8);
        ensure(b.length);
        System.arraycopy(b, 0, buf, 0, b.length);
        return b.length;
    }

    final byte[] cell() {
        return buf;
    }

    private void ensure(int len) {
        if (len > buf.length) {
            buf = new byte[Math.max(len, buf.length * 2)];
        }
    }
}
