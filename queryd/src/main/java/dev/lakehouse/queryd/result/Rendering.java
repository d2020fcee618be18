package dev.lakehouse.queryd.result;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Values as DuckDB renders them: the JSON and CSV answers are made by DuckDB itself, one text column per value,
 * so every type (nested ones, HUGEINT, DECIMAL, TIMESTAMPTZ, and whatever a new DuckDB adds) reads as DuckDB means
 * it. JSON is {@code to_json(v)}, the conversion of DuckDB's own JSON writer ({@code COPY ... (FORMAT json)}),
 * except where that would not be JSON or not be portable: NaN/Infinity become strings, a BLOB is base64. CSV is
 * {@code CAST(v AS VARCHAR)}, the text DuckDB's CSV writer ({@code COPY ... (FORMAT csv)}) writes; quoting is the
 * writer's ({@link CsvResultWriter}). Arrow is DuckDB's Arrow export, not rendered.
 */
public final class Rendering {
    private Rendering() {}

    /** {@code bounded} with each column rendered for {@code format}, or {@code bounded} itself for Arrow. */
    public static String sql(ResultFormat format, String bounded, List<Column> columns) {
        if (format == ResultFormat.ARROW || columns.isEmpty()) {
            return bounded;
        }
        return "SELECT " + columns.stream().map(c -> render(format, c) + " AS " + ident(c.name()))
                .collect(Collectors.joining(", ")) + " FROM (\n" + bounded + "\n) AS r";
    }

    private static String render(ResultFormat format, Column c) {
        String v = "r." + ident(c.name());
        if (format == ResultFormat.CSV) {
            return "CAST(" + v + " AS VARCHAR)";
        }
        String type = c.type().toUpperCase(Locale.ROOT);
        return switch (type) {
            case "DOUBLE", "FLOAT" -> "CASE WHEN isfinite(" + v + ") THEN to_json(" + v + ") ELSE to_json(CAST(" + v
                    + " AS VARCHAR)) END";
            case "BLOB" -> "to_json(base64(" + v + "))";
            default -> "to_json(" + v + ")";
        };
    }

    static String ident(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
