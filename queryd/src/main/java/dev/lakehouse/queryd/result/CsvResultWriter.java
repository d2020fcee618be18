package dev.lakehouse.queryd.result;

import dev.lakehouse.queryd.exec.QueryRunner;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/** RFC 4180 CSV with a header row; NULL is an empty field, an empty string is {@code ""}. Streamed. */
final class CsvResultWriter extends RowResultWriter {
    CsvResultWriter(QueryRunner.Running query, long limit) {
        super(query, limit);
    }

    @Override
    public void write(OutputStream out) throws IOException, SQLException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        int n = cursor.columns().size();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                w.write(',');
            }
            field(w, cursor.columns().get(i).name());
        }
        w.write("\r\n");
        while (cursor.hasRow()) {
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    w.write(',');
                }
                Object v = cursor.value(i);
                if (v != null) {
                    field(w, v.toString());
                }
            }
            w.write("\r\n");
            cursor.advance();
        }
        w.flush();
    }

    static void field(Writer w, String s) throws IOException {
        boolean quote = s.isEmpty();
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            w.write(s);
            return;
        }
        w.write('"');
        w.write(s.replace("\"", "\"\""));
        w.write('"');
    }
}
