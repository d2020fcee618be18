package dev.lakehouse.queryd.result;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Values as DuckDB renders them: the JSON and CSV answers are made by DuckDB itself, one text column per value,
 * so every type (nested ones, HUGEINT, DECIMAL, TIMESTAMPTZ, and whatever a new DuckDB adds) reads as DuckDB means
 * it. JSON is {@code to_json(v)}, the conversion of DuckDB's own JSON writer ({@code COPY ... (FORMAT json)}),
 * except where that would not be JSON or not be portable: NaN/Infinity become strings, a BLOB is base64. CSV is
 * {@code CAST(v AS VARCHAR)}, the text DuckDB's CSV writer ({@code COPY ... (FORMAT csv)}) writes, and DuckDB also
 * quotes it and joins a row's fields into one line (one text column, {@link #CSV_LINE}): that work runs on DuckDB's
 * threads, in parallel, and a batch of lines is one contiguous run of bytes the writer hands on as it is
 * ({@link CsvResultWriter}; a field quoted per cell in Java took one core per export). Arrow is DuckDB's Arrow
 * export, not rendered.
 */
public final class Rendering {
    private Rendering() {}

    /** The one column of a rendered CSV result: each row's CSV line, LF included. */
    static final String CSV_LINE = "csv_line";

    /**
     * Types whose text never holds a comma, quote or line break, so their CSV field is never quoted (any other
     * type's text is checked per value).
     */
    private static final java.util.Set<String> PLAIN_CSV = java.util.Set.of("TINYINT", "SMALLINT", "INTEGER",
            "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE",
            "BOOLEAN", "DATE", "TIME", "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS",
            "TIMESTAMP WITH TIME ZONE", "TIME WITH TIME ZONE", "UUID");

    /** {@code bounded} with each column rendered for {@code format}, or {@code bounded} itself for Arrow. */
    public static String sql(ResultFormat format, String bounded, List<Column> columns) {
        if (format == ResultFormat.ARROW || columns.isEmpty()) {
            return bounded;
        }
        if (format == ResultFormat.CSV) {
            return "SELECT concat(" + columns.stream().map(Rendering::csvField).collect(Collectors.joining(", ','"
                    + ", ")) + ", chr(10)) AS " + CSV_LINE + " FROM (\n" + bounded + "\n) AS r";
        }
        return "SELECT " + columns.stream().map(c -> render(c) + " AS " + ident(c.name()))
                .collect(Collectors.joining(", ")) + " FROM (\n" + bounded + "\n) AS r";
    }

    /**
     * A field as DuckDB's CSV writer writes it: NULL empty, an empty string {@code ""}, a text with a comma, a quote
     * or a line break quoted with its quotes doubled, anything else as is.
     */
    private static String csvField(Column c) {
        String v = "r." + ident(c.name());
        String type = c.type().toUpperCase(Locale.ROOT);
        if (PLAIN_CSV.contains(type) || type.startsWith("DECIMAL")) {
            return "coalesce(CAST(" + v + " AS VARCHAR), '')";
        }
        String s = "CAST(" + v + " AS VARCHAR)";
        return "CASE WHEN " + v + " IS NULL THEN '' WHEN " + s + " = '' OR regexp_matches(" + s
                + ", '[,\"\\r\\n]') THEN concat('\"', replace(" + s + ", '\"', '\"\"'), '\"') ELSE " + s + " END";
    }

    private static String render(Column c) {
        String v = "r." + ident(c.name());
        String type = c.type().toUpperCase(Locale.ROOT);
        return switch (type) {
            case "DOUBLE", "FLOAT" -> "CASE WHEN isfinite(" + v + ") THEN to_json(" + v + ") ELSE to_json(CAST(" + v
                    + " AS VARCHAR)) END";
            case "BLOB" -> "to_json(base64(" + v + "))";
            default -> "to_json(" + v + ")";
        };
    }

    /** The header line of a CSV answer, as DuckDB's CSV writer writes it ({@code HEADER}). */
    public static byte[] csvHeader(List<Column> columns) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            CsvResultWriter.header(out, columns);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // not from a byte array
        }
        return out.toByteArray();
    }

    static String ident(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
