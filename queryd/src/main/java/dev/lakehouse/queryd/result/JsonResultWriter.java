package dev.lakehouse.queryd.result;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.queryd.exec.QueryRunner;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;

/**
 * {@code {"columns":[{"name","type"}],"rows":[[...]],"row_count","truncated","elapsed_ms","versions"}}, written
 * as it is read; the totals come last so nothing has to be held.
 */
final class JsonResultWriter extends RowResultWriter {
    JsonResultWriter(QueryRunner.Running query, long limit) {
        super(query, limit);
    }

    @Override
    public void write(OutputStream out) throws IOException, SQLException {
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeArrayFieldStart("columns");
            for (RowCursor.Column c : cursor.columns()) {
                g.writeStartObject();
                g.writeStringField("name", c.name());
                g.writeStringField("type", c.type());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
            int n = cursor.columns().size();
            while (cursor.hasRow()) {
                g.writeStartArray();
                for (int i = 0; i < n; i++) {
                    writeValue(g, cursor.value(i));
                }
                g.writeEndArray();
                cursor.advance();
            }
            g.writeEndArray();
            g.writeNumberField("row_count", cursor.rows());
            g.writeBooleanField("truncated", cursor.truncated());
            g.writeNumberField("elapsed_ms", query.elapsedMillis());
            g.writeObjectFieldStart("versions");
            for (var e : query.versions().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeString(d.toString()); // JSON has no NaN/Infinity
            }
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof BigInteger i) {
            g.writeNumber(i);
        } else {
            g.writeString(v.toString());
        }
    }
}
