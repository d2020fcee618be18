package dev.lakehouse.ingestd.format;

import dev.lakehouse.common.model.ColumnSpec;
import java.util.List;
import java.util.Map;

/** A converted body: the schema it was written with, its row count and how it was read (format, dialect). */
public record Converted(List<ColumnSpec> schema, long rows, Map<String, Object> source) {
    public Converted(List<ColumnSpec> schema, long rows) {
        this(schema, rows, Map.of());
    }
}
