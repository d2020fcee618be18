package dev.lakehouse.ingestd;

import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.ColumnTypes;
import dev.lakehouse.common.error.Conflict;
import dev.lakehouse.common.model.ColumnSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Schema drift rules for appends. The CSV's columns must match the dataset's by name and order; a column's
 * inferred type must equal the dataset's or widen into it without loss (BIGINT → DOUBLE, DATE → TIMESTAMP,
 * anything → VARCHAR), in which case the CSV is parsed with the dataset's type. Anything else is drift: 409.
 */
final class SchemaCheck {
    private SchemaCheck() {}

    /** The schema to write an appended CSV with: {@code current} itself, or a 409 {@code {"error","expected","got"}}. */
    static List<ColumnSpec> forAppend(String dataset, List<ColumnSpec> current, List<ColumnSpec> got) {
        List<String> problems = new ArrayList<>();
        if (current.size() != got.size()) {
            problems.add("expected " + current.size() + " columns, got " + got.size());
        }
        for (int i = 0; i < Math.min(current.size(), got.size()); i++) {
            ColumnSpec want = current.get(i);
            ColumnSpec have = got.get(i);
            if (!want.name().equals(have.name())) {
                problems.add("column " + (i + 1) + " is '" + have.name() + "', expected '" + want.name() + "'");
            } else if (!fits(have.type(), want.type())) {
                problems.add("column '" + want.name() + "' is " + have.type() + ", expected " + want.type());
            }
        }
        if (!problems.isEmpty()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("code", ErrorCodes.SCHEMA_DRIFT);
            details.put("expected", current);
            details.put("got", got);
            throw new Conflict("schema drift appending to '" + dataset + "': " + String.join("; ", problems)
                    + " (use ?mode=replace to change the schema)", details);
        }
        return current;
    }

    /** True if values inferred as {@code inferred} can be stored losslessly as {@code target}. */
    static boolean fits(String inferred, String target) {
        return inferred.equals(target)
                || target.equals(ColumnTypes.VARCHAR)
                || (inferred.equals(ColumnTypes.BIGINT) && target.equals(ColumnTypes.DOUBLE))
                || (inferred.equals(ColumnTypes.DATE) && target.equals(ColumnTypes.TIMESTAMP));
    }
}
