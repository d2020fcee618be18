package dev.lakehouse.ingestd.format;

import dev.lakehouse.common.ColumnTypes;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.Conflict;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.model.ColumnSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Schema drift rules for appends. The body's columns must match the dataset's by name and order; a column's
 * inferred type must equal the dataset's or widen into it without loss ({@link #fits}), in which case the body is
 * read with the dataset's type. Anything else is drift: 409 with code {@code schema_drift}.
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

    /**
     * True if values read as {@code inferred} can be stored as {@code target} without loss, the body then being
     * read with {@code target} (so a value that does not fit fails loudly instead of changing):
     * BIGINT → DOUBLE (an integer past 2^53 is caught before: see CsvFormat), DECIMAL(p,s) with p − s ≥ 19;
     * DATE → TIMESTAMP;
     * DECIMAL(p,s) → DECIMAL(p',s') with s' ≥ s and p' − s' ≥ p − s; anything → VARCHAR. Never DOUBLE → DECIMAL
     * (rounds), DECIMAL → DOUBLE (rounds), nor TIMESTAMP ↔ TIMESTAMPTZ (would need a time zone).
     */
    /** 400 {@code lossy_value} naming the first of {@code rounded}: a declared DECIMAL would round its values. */
    static void refuseRounded(List<String> rounded, Map<String, String> types) {
        if (!rounded.isEmpty()) {
            String n = rounded.get(0);
            throw new BadRequest("column '" + n + "' holds a value that " + types.get(n) + " would round; declare a wider"
                    + " scale (or DOUBLE)", Map.of("code", ErrorCodes.LOSSY_VALUE, "column", n));
        }
    }

    static boolean fits(String inferred, String target) {
        if (inferred.equals(target) || target.equals(ColumnTypes.VARCHAR.duckName())) {
            return true;
        }
        ColumnTypes from = ColumnTypes.of(inferred);
        ColumnTypes to = ColumnTypes.of(target);
        if (from == null || to == null) {
            return false;
        }
        return switch (from) {
            case BIGINT -> to == ColumnTypes.DOUBLE || (to == ColumnTypes.DECIMAL && digits(target) >= 19);
            case DATE -> to == ColumnTypes.TIMESTAMP;
            case DECIMAL -> to == ColumnTypes.DECIMAL && ColumnTypes.decimal(target)[1] >= ColumnTypes.decimal(inferred)[1]
                    && digits(target) >= digits(inferred);
            default -> false;
        };
    }

    /** Integer digits of a DECIMAL(p,s): p − s. */
    private static int digits(String decimal) {
        int[] ps = ColumnTypes.decimal(decimal);
        return ps[0] - ps[1];
    }
}
