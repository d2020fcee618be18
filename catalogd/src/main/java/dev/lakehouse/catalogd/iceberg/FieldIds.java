package dev.lakehouse.catalogd.iceberg;

import dev.lakehouse.common.ColumnTypes;
import dev.lakehouse.common.model.ColumnSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.mapping.MappedField;
import org.apache.iceberg.mapping.MappedFields;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Iceberg field ids for a dataset's columns, over its whole history. Our Parquet files carry no field ids, so
 * engines find columns by name through {@code schema.name-mapping.default}; a column name keeps one id for
 * the life of the table (also across a {@code replace} that changes its type), so the one name mapping is
 * right for the files of every version and time travel reads each version's files with that version's
 * schema. New names get the next id.
 */
final class FieldIds {
    private final Map<String, Integer> ids = new LinkedHashMap<>();
    private int lastId;

    /** Seeds the ids from every schema of existing metadata, so an incremental update continues them. */
    static FieldIds of(Iterable<Schema> schemas) {
        FieldIds f = new FieldIds();
        for (Schema s : schemas) {
            for (Types.NestedField c : s.columns()) {
                f.ids.putIfAbsent(c.name(), c.fieldId());
                f.lastId = Math.max(f.lastId, c.fieldId());
            }
        }
        return f;
    }

    int lastId() {
        return lastId;
    }

    /** The Iceberg schema of a manifest's columns: every column optional (a Parquet column may hold nulls). */
    Schema schema(List<ColumnSpec> columns) {
        List<Types.NestedField> fields = new ArrayList<>();
        for (ColumnSpec c : columns) {
            int id = ids.computeIfAbsent(c.name(), n -> ++lastId);
            fields.add(Types.NestedField.optional(id, c.name(), type(c.type())));
        }
        return new Schema(fields);
    }

    /** Name → id for every column the table ever had (a name only an old version has still finds its files). */
    String nameMappingJson() {
        List<MappedField> fields = new ArrayList<>();
        ids.forEach((name, id) -> fields.add(MappedField.of(id, name)));
        return NameMappingParser.toJson(NameMapping.of(MappedFields.of(fields)));
    }

    /** The Iceberg type of a catalog type (ColumnTypes: what DuckDB writes to Parquet for it). */
    static Type type(String catalogType) {
        ColumnTypes t = ColumnTypes.of(catalogType);
        if (t == null) {
            throw new IllegalArgumentException("not a catalog type: " + catalogType);
        }
        return switch (t) {
            case BOOLEAN -> Types.BooleanType.get();
            case BIGINT -> Types.LongType.get();
            case DOUBLE -> Types.DoubleType.get();
            case DECIMAL -> {
                int[] ps = ColumnTypes.decimal(ColumnTypes.canonical(catalogType));
                yield Types.DecimalType.of(ps[0], ps[1]);
            }
            case DATE -> Types.DateType.get();
            case TIME -> Types.TimeType.get();
            case TIMESTAMP -> Types.TimestampType.withoutZone();
            case TIMESTAMPTZ -> Types.TimestampType.withZone();
            case UUID -> Types.UUIDType.get();
            case VARCHAR -> Types.StringType.get();
            case BLOB -> Types.BinaryType.get();
        };
    }
}
