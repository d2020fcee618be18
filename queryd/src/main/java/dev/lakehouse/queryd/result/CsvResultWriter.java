package dev.lakehouse.queryd.result;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.vector.FieldVector;

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
        List<Column> cols = source.columns();
        for (int i = 0; i < cols.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            byte[] name = cols.get(i).name().getBytes(StandardCharsets.UTF_8);
            field(out, name, name.length);
        }
        out.write('\n');
    }

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
