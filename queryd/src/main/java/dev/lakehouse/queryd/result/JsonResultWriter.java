package dev.lakehouse.queryd.result;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.apache.arrow.vector.FieldVector;

/**
 * {@code {"columns":[{"name","type"}],"rows":[[...]],"row_count","truncated","next","elapsed_ms","versions"}},
 * written as it is read; the totals come last so nothing has to be held. A page holds at most {@code pageSize}
 * rows; when the result has more, {@code truncated} is true and {@code next} is the cursor of the following page.
 */
final class JsonResultWriter extends TextResultWriter {
    private final long pageSize;
    private final LongFunction<String> nextPage;

    JsonResultWriter(ResultSource source, ArrowBatches batches, long pageSize, LongFunction<String> nextPage) {
        super(source, batches);
        this.pageSize = pageSize;
        this.nextPage = nextPage;
    }

    @Override
    void header(OutputStream out) throws IOException {
        List<Map<String, String>> cols = source.columns().stream()
                .map(c -> Map.of("name", c.name(), "type", c.type())).toList();
        out.write("{\"columns\":".getBytes());
        out.write(Json.MAPPER.writeValueAsBytes(cols));
        out.write(",\"rows\":[".getBytes());
    }

    @Override
    boolean row(OutputStream out, List<FieldVector> vectors, int i, long index) throws IOException {
        if (index >= pageSize) {
            return false;
        }
        if (index > 0) {
            out.write(',');
        }
        out.write('[');
        for (int c = 0; c < vectors.size(); c++) {
            if (c > 0) {
                out.write(',');
            }
            FieldVector v = vectors.get(c);
            if (source.rendered()) {
                int len = text(v, i);
                if (len < 0) {
                    out.write(NULL);
                } else {
                    out.write(cell(), 0, len); // already JSON, rendered by DuckDB
                }
            } else {
                out.write(plain(v.getObject(i)));
            }
        }
        out.write(']');
        return true;
    }

    @Override
    void trailer(OutputStream out, boolean cut) throws IOException {
        Map<String, Object> tail = new LinkedHashMap<>();
        tail.put("row_count", rows());
        tail.put("truncated", cut);
        tail.put("next", cut ? nextPage.apply(rows()) : null);
        tail.put("elapsed_ms", source.elapsedMillis());
        tail.put("versions", source.versions());
        byte[] b = Json.MAPPER.writeValueAsBytes(tail);
        out.write(']');
        out.write(',');
        out.write(b, 1, b.length - 1); // without its opening brace: the fields continue the answer's object
    }

    private static final byte[] NULL = "null".getBytes();

    /** A value of an unrendered result (EXPLAIN's text): numbers and booleans as such, the rest as strings. */
    private static byte[] plain(Object v) throws JsonProcessingException {
        if (v == null || v instanceof Number || v instanceof Boolean) {
            return Json.MAPPER.writeValueAsBytes(v);
        }
        return Json.MAPPER.writeValueAsBytes(v.toString());
    }
}
