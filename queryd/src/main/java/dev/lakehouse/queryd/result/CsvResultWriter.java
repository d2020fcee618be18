package dev.lakehouse.queryd.result;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * CSV as DuckDB's own {@code COPY ... TO (FORMAT csv, HEADER)} writes it: a header row, LF line ends, a field
 * quoted (with {@code ""} inside) when it holds a comma, a quote or a line break, an empty string as {@code ""},
 * NULL as an empty field.
 */
final class CsvResultWriter extends TextResultWriter {
    CsvResultWriter(ResultSource source, ArrowBatches batches) {
        super(source, batches);
    }

    @Override
    void header(OutputStream out) throws IOException {
        header(out, source.columns());
    }

    static void header(OutputStream out, List<Column> cols) throws IOException {
        for (int i = 0; i < cols.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            byte[] name = cols.get(i).name().getBytes(StandardCharsets.UTF_8);
            field(out, name, name.length);
        }
        out.write('\n');
    }

    /**
     * A rendered result is one column of whole lines ({@link Rendering}), quoted and joined by DuckDB: their bytes
     * follow each other in the batch's data buffer, so the batch is handed on as one run of bytes.
     */
    @Override
    boolean batch(ByteSink out, VectorSchemaRoot root) throws IOException {
        if (!source.rendered()) {
            return super.batch(out, root);
        }
        int n = root.getRowCount();
        FieldVector lines = root.getVector(0);
        if (lines instanceof BaseVariableWidthVector v) {
            if (n > 0) {
                int from = v.getStartOffset(0);
                out.write(v.getDataBuffer(), from, v.getEndOffset(n - 1) - from);
            }
        } else { // not how DuckDB exports VARCHAR (arrow_large_buffer_size is off), but still the right bytes
            for (int i = 0; i < n; i++) {
                out.write(String.valueOf(lines.getObject(i)).getBytes(StandardCharsets.UTF_8));
            }
        }
        counted(n);
        return true;
    }

    /** A row of an unrendered result (EXPLAIN's text), quoted here. */
    @Override
    boolean row(OutputStream out, List<FieldVector> vectors, int i, long index) throws IOException {
        for (int c = 0; c < vectors.size(); c++) {
            if (c > 0) {
                out.write(',');
            }
            int len = text(vectors.get(c), i);
            if (len >= 0) {
                field(out, cell(), len);
            }
        }
        out.write('\n');
        return true;
    }

    @Override
    void trailer(OutputStream out, boolean cut) {}

    static void field(OutputStream out, byte[] b, int len) throws IOException {
        boolean quote = len == 0;
        for (int i = 0; i < len && !quote; i++) {
            byte c = b[i];
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            out.write(b, 0, len);
            return;
        }
        out.write('"');
        int from = 0;
        for (int i = 0; i < len; i++) {
            if (b[i] == '"') {
                out.write(b, from, i + 1 - from);
                out.write('"');
                from = i + 1;
            }
        }
        out.write(b, from, len - from);
        out.write('"');
    }
}
