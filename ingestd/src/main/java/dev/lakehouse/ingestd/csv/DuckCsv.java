package dev.lakehouse.ingestd.csv;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.ColumnTypes;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.ColumnSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;

/**
 * CSV → Parquet with an in-process DuckDB: {@link #sniff} runs DuckDB's own sniffer (dialect, header, types, as
 * {@code read_csv} would) under the client's overrides, {@link #toParquet} reads the file with that dialect and
 * detection off and writes Parquet (zstd) in one parallel pass. See docs/adr/0005-parquet-writer.md and
 * docs/adr/0019-ingest-dialects-and-types.md.
 */
public final class DuckCsv implements AutoCloseable {
    /** Past 2^53 a DOUBLE no longer holds every integer: such a column may have been rounded. */
    private static final String EXACT_DOUBLE_LIMIT = "9007199254740992";

    /** What the sniffer found: the dialect and the columns (types as DuckDB names them). */
    public record Sniffed(CsvDialect dialect, List<ColumnSpec> columns) {}

    private final DuckDBConnection root;

    public DuckCsv(String memoryLimit, int threads, Path tempDir) throws SQLException {
        root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = root.createStatement()) {
            s.execute("SET memory_limit = " + literal(memoryLimit));
            s.execute("SET threads = " + threads);
            s.execute("SET temp_directory = " + literal(tempDir.toString()));
        }
    }

    /** A connection of this DuckDB (the caller closes it; after an error the driver closes the statement). */
    public Connection connection() throws SQLException {
        return root.duplicate();
    }

    /** DuckDB's sniffer on {@code csv} under {@code o}; {@code fullSample} sniffs types from every row. */
    public Sniffed sniff(Path csv, CsvDialect.Overrides o, boolean fullSample) throws SQLException {
        StringBuilder opts = new StringBuilder(", strict_mode = true");
        option(opts, "delim", o.delimiter());
        // RFC 4180's quote unless told otherwise: a broken quoted field is an error, not data with a stray quote
        option(opts, "quote", o.quote() == null ? "\"" : o.quote());
        option(opts, "escape", o.escape());
        // no comment detection: a sniffed '#' drops every line starting with it, data rows included (ADR 0041)
        option(opts, "comment", "");
        option(opts, "nullstr", o.nullString());
        option(opts, "dateformat", o.dateFormat());
        option(opts, "timestampformat", o.timestampFormat());
        option(opts, "decimal_separator", o.decimalSeparator());
        if (o.header() != null) {
            opts.append(", header = ").append(o.header());
        }
        if (o.skip() != null) {
            opts.append(", skip = ").append(o.skip());
        }
        if (o.nullPadding() != null) {
            opts.append(", null_padding = ").append(o.nullPadding());
        }
        if (!o.types().isEmpty()) {
            opts.append(", types = ").append(struct(o.types()));
        }
        if (fullSample) {
            opts.append(", sample_size = -1");
        }
        try (Connection c = connection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT Delimiter, Quote, Escape, NewLineDelimiter, Comment, SkipRows,"
                        + " HasHeader, DateFormat, TimestampFormat, to_json(Columns) FROM sniff_csv("
                        + literal(csv.toString()) + opts + ")")) {
            r.next();
            CsvDialect d = new CsvDialect(empty(r.getString(1)), empty(r.getString(2)), empty(r.getString(3)),
                    r.getString(4), empty(r.getString(5)), r.getBoolean(7), r.getInt(6),
                    o.nullString() == null ? "" : o.nullString(), Boolean.TRUE.equals(o.nullPadding()),
                    o.dateFormat() != null ? o.dateFormat() : r.getString(8),
                    o.timestampFormat() != null ? o.timestampFormat() : r.getString(9),
                    o.decimalSeparator() == null ? "." : o.decimalSeparator());
            List<ColumnSpec> cols = new ArrayList<>();
            for (JsonNode col : Json.MAPPER.readTree(r.getString(10))) {
                cols.add(new ColumnSpec(col.get("name").asText(), col.get("type").asText()));
            }
            return new Sniffed(d, cols);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses {@code csv} in {@code d} with the given column types and writes zstd Parquet to {@code out}; returns the row count. */
    public long toParquet(Path csv, CsvDialect d, List<ColumnSpec> schema, Path out) throws SQLException {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM " + readCsv(csv, d, schema) + ") TO " + literal(out.toString())
                    + " (FORMAT parquet, COMPRESSION zstd)");
            return s.getUpdateCount();
        }
    }

    /**
     * The DOUBLE columns of {@code parquet} that may have rounded integers: every value is integral and one is past
     * 2^53 (the sniffer reads 20-digit integers as DOUBLE). {@link #integerTypes} decides. A column whose footer
     * statistics bound every value below 2^53 cannot be one, so only the others are scanned: usually none, and the
     * file just written is not read a second time (ADR 0038).
     */
    public List<String> suspectDoubles(Path parquet, List<ColumnSpec> schema) throws SQLException {
        List<String> doubles = schema.stream().filter(c -> c.type().equals(ColumnTypes.DOUBLE.duckName()))
                .map(ColumnSpec::name).toList();
        List<String> out = new ArrayList<>();
        if (doubles.isEmpty()) {
            return out;
        }
        doubles = unboundedDoubles(parquet, doubles);
        if (doubles.isEmpty()) {
            return out;
        }
        String select = doubles.stream().map(n -> "coalesce(bool_and(" + ident(n) + " = floor(" + ident(n) + "))"
                + " AND max(abs(" + ident(n) + ")) >= " + EXACT_DOUBLE_LIMIT + ", false)").collect(Collectors.joining(", "));
        try (Connection c = connection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT " + select + " FROM read_parquet(" + literal(parquet.toString()) + ")")) {
            r.next();
            for (int i = 0; i < doubles.size(); i++) {
                if (r.getBoolean(i + 1)) {
                    out.add(doubles.get(i));
                }
            }
        }
        return out;
    }

    /**
     * Those of {@code doubles} whose values the footer does not bound below 2^53: a row group without min/max
     * statistics, a NaN or infinite bound (NaN compares above every number in DuckDB), or one at or past 2^53.
     */
    private List<String> unboundedDoubles(Path parquet, List<String> doubles) throws SQLException {
        List<String> bounded = new ArrayList<>();
        String names = doubles.stream().map(DuckCsv::literal).collect(Collectors.joining(", "));
        try (Connection c = connection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT path_in_schema FROM parquet_metadata(" + literal(parquet.toString())
                        + ") WHERE path_in_schema IN (" + names + ") GROUP BY path_in_schema HAVING bool_and(coalesce("
                        // a missing bound is NULL: no row group counts as bounded without both
                        + "abs(TRY_CAST(stats_min_value AS DOUBLE)) < " + EXACT_DOUBLE_LIMIT
                        + " AND abs(TRY_CAST(stats_max_value AS DOUBLE)) < " + EXACT_DOUBLE_LIMIT + ", false))")) {
            while (r.next()) {
                bounded.add(r.getString(1));
            }
        }
        return doubles.stream().filter(n -> !bounded.contains(n)).toList();
    }

    /**
     * For each column of {@code candidates} whose text is all integers: its candidate type if every value fits it,
     * else VARCHAR (kept as written). Columns with any non-integer value are left out. Reads the file again, as text.
     */
    public Map<String, String> integerTypes(Path csv, CsvDialect d, List<ColumnSpec> schema, Map<String, String> candidates)
            throws SQLException {
        List<ColumnSpec> text = schema.stream().map(c -> new ColumnSpec(c.name(), ColumnTypes.VARCHAR.duckName())).toList();
        List<String> names = List.copyOf(candidates.keySet());
        String select = names.stream().map(n -> "bool_and(regexp_full_match(trim(" + ident(n) + "), '[+-]?[0-9]+')),"
                + " bool_and(TRY_CAST(trim(" + ident(n) + ") AS " + candidates.get(n) + ") IS NOT NULL)")
                .collect(Collectors.joining(", "));
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = connection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT " + select + " FROM " + readCsv(csv, d, text))) {
            r.next();
            for (int i = 0; i < names.size(); i++) {
                if (r.getBoolean(2 * i + 1)) {
                    out.put(names.get(i), r.getBoolean(2 * i + 2) ? candidates.get(names.get(i))
                            : ColumnTypes.VARCHAR.duckName());
                }
            }
        }
        return out;
    }

    /**
     * The columns of {@code decimals} (name → declared DECIMAL type) holding a value that type would round: DuckDB
     * rounds {@code 1.255} into DECIMAL(10,2) silently, on read_csv as on read_json. Reads the file again, as text.
     */
    public List<String> roundedDecimals(Path csv, CsvDialect d, List<ColumnSpec> schema, Map<String, String> decimals)
            throws SQLException {
        List<ColumnSpec> text = schema.stream().map(c -> new ColumnSpec(c.name(), ColumnTypes.VARCHAR.duckName())).toList();
        String comma = d.decimalSeparator().equals(",") ? "," : null;
        return rounded(readCsv(csv, d, text), decimals, comma);
    }

    /** As {@link #roundedDecimals}, over {@code source} (a table function reading the columns as text). */
    public List<String> rounded(String source, Map<String, String> decimals, String decimalSeparator) throws SQLException {
        List<String> names = List.copyOf(decimals.keySet());
        String select = names.stream().map(n -> {
            String t = decimalSeparator == null ? "trim(" + ident(n) + ")"
                    : "replace(trim(" + ident(n) + "), " + literal(decimalSeparator) + ", '.')";
            // compared at 18 decimals; a value too wide for that (20+ integer digits) by its fraction digits instead
            String ref = "TRY_CAST(" + t + " AS DECIMAL(38,18))";
            return "coalesce(bool_and(" + t + " IS NULL OR CASE WHEN " + ref + " IS NOT NULL THEN " + ref + " = TRY_CAST("
                    + t + " AS " + decimals.get(n) + ") ELSE length(regexp_extract(" + t + ", '\\.([0-9]*?)0*$', 1)) <= "
                    + ColumnTypes.decimal(decimals.get(n))[1] + " END), true)";
        }).collect(Collectors.joining(", "));
        List<String> out = new ArrayList<>();
        try (Connection c = connection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT " + select + " FROM " + source)) {
            r.next();
            for (int i = 0; i < names.size(); i++) {
                if (!r.getBoolean(i + 1)) {
                    out.add(names.get(i));
                }
            }
        }
        return out;
    }

    /** The new line is left to DuckDB: given explicitly as CRLF with strict_mode it read no rows (1.4.4). */
    private static String readCsv(Path csv, CsvDialect d, List<ColumnSpec> schema) {
        StringBuilder sb = new StringBuilder("read_csv(").append(literal(csv.toString()))
                .append(", auto_detect = false, strict_mode = true")
                .append(", delim = ").append(literal(d.delimiter()))
                .append(", quote = ").append(literal(d.quote()))
                .append(", escape = ").append(literal(d.escape()))
                .append(", comment = ").append(literal(d.comment()))
                .append(", header = ").append(d.header())
                .append(", skip = ").append(d.skip())
                .append(", nullstr = ").append(literal(d.nullString()))
                .append(", null_padding = ").append(d.nullPadding())
                .append(", decimal_separator = ").append(literal(d.decimalSeparator()));
        option(sb, "dateformat", d.dateFormat());
        option(sb, "timestampformat", d.timestampFormat());
        Map<String, String> cols = new LinkedHashMap<>();
        schema.forEach(c -> cols.put(c.name(), c.type()));
        return sb.append(", columns = ").append(struct(cols)).append(')').toString();
    }

    private static void option(StringBuilder sb, String name, String value) {
        if (value != null) {
            sb.append(", ").append(name).append(" = ").append(literal(value));
        }
    }

    private static String struct(Map<String, String> types) {
        return types.entrySet().stream().map(e -> literal(e.getKey()) + ": " + literal(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** The sniffer prints an absent quote, escape or comment as "(empty)". */
    private static String empty(String s) {
        return s == null || s.equals("(empty)") ? "" : s;
    }

    /** The first line of a DuckDB error: the part a client can act on. */
    public static String firstLine(String msg) {
        if (msg == null) {
            return "unknown error";
        }
        String s = msg.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    public static String ident(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    @Override
    public void close() throws SQLException {
        root.close();
    }
}
