package dev.lakehouse.ingestd.format;

import dev.lakehouse.common.ColumnTypes;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.ingestd.csv.DuckCsv;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An NDJSON body (one JSON object per line) → Parquet with DuckDB's read_json: keys are columns, types inferred
 * as read_json infers them (mapped onto {@link ColumnTypes}; nested objects, arrays and keys whose values mix
 * types — DuckDB's JSON type — are refused, 400). DuckDB
 * reads a 20-digit integer into an inferred BIGINT as an error; such files are read with their BIGINT columns as
 * DECIMAL(38,0), and columns that fit are narrowed back to BIGINT. {@code type=name:TYPE} declares a key's type (as for
 * CSV): a value that does not fit it is a 400, and a number a declared DECIMAL would round is refused, not rounded.
 */
public final class JsonLinesFormat implements BodyFormat {
    private static final String BIGINT_MIN = "-9223372036854775808";
    private static final String BIGINT_MAX = "9223372036854775807";

    private final DuckCsv duck;
    private final Map<String, String> declared;

    /** {@code declared}: column name → {@link ColumnTypes} name, given by the client ({@code type=}). */
    public JsonLinesFormat(DuckCsv duck, Map<String, String> declared) {
        this.duck = duck;
        this.declared = Map.copyOf(declared);
    }

    @Override
    public Converted convert(String dataset, List<ColumnSpec> current, Path body, Path parquet, Phases phases)
            throws IOException {
        if (onlyBlank(body)) {
            // read_json finds no keys in it and describes it as one column "json" of type JSON
            throw new BadRequest("the NDJSON body has no records (only blank lines)", Map.of("code", "no_rows"));
        }
        try (Connection c = duck.connection()) {
            List<ColumnSpec> got = inferred(c, body);
            refuseRounding(c, body, got);
            List<ColumnSpec> schema = current == null ? got : SchemaCheck.forAppend(dataset, current, got);
            long rows;
            try {
                rows = copy(c, body, schema, schema, parquet);
            } catch (SQLException e) {
                if (!e.getMessage().contains("Failed to cast value to numerical")) {
                    throw e;
                }
                List<ColumnSpec> wide = got.stream().map(col -> col.type().equals(ColumnTypes.BIGINT.duckName())
                        ? new ColumnSpec(col.name(), ColumnTypes.WIDE_INTEGER) : col).toList();
                got = narrowedIntegers(c, body, got, wide);
                schema = current == null ? got : SchemaCheck.forAppend(dataset, current, got);
                rows = copy(c, body, wide, schema, parquet);
            }
            if (rows == 0) {
                throw new BadRequest("the NDJSON body has no records", Map.of("code", "no_rows"));
            }
            return new Converted(schema, rows, Map.of("format", "ndjson"));
        } catch (SQLException e) {
            throw new BadRequest("NDJSON rejected: " + DuckCsv.firstLine(e.getMessage()), Map.of("code", "malformed_ndjson"));
        }
    }

    /** Whether {@code body} holds nothing but spaces, tabs and line breaks; reads up to its first other byte. */
    static boolean onlyBlank(Path body) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(body))) {
            int b;
            while ((b = in.read()) != -1) {
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                    return false;
                }
            }
            return true;
        }
    }

    /** The keys and their types: declared ones as declared, the others as read_json infers them. */
    private List<ColumnSpec> inferred(Connection c, Path body) throws SQLException {
        List<ColumnSpec> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + readJson(body, null))) {
            while (r.next()) {
                String name = r.getString("column_name");
                String duckType = r.getString("column_type");
                String type = declared.containsKey(name) ? declared.get(name) : ColumnTypes.holding(duckType);
                if (type == null) {
                    throw new BadRequest("key '" + name + "' holds " + duckType + " values; supported: " + ColumnTypes.ALL
                            + " (nested objects, arrays and keys of mixed types are not)", Map.of("code", "unsupported_type", "column", name));
                }
                out.add(new ColumnSpec(name, type));
            }
        }
        for (String name : declared.keySet()) {
            if (out.stream().noneMatch(col -> col.name().equals(name))) {
                throw new BadRequest("type= names '" + name + "', which is not a key of the NDJSON records",
                        Map.of("code", "bad_parameter", "parameter", "type", "column", name));
            }
        }
        return out;
    }

    /**
     * read_json rounds a number into a declared DECIMAL silently (1.255 → 1.25 in DECIMAL(10,2)): each declared DECIMAL
     * column is read once as text and compared with its exact value; a difference is a 400 naming the column.
     */
    private void refuseRounding(Connection c, Path body, List<ColumnSpec> columns) throws SQLException {
        List<String> decimals = columns.stream().filter(col -> declared.containsKey(col.name())
                && ColumnTypes.of(col.type()) == ColumnTypes.DECIMAL).map(ColumnSpec::name).toList();
        if (decimals.isEmpty()) {
            return;
        }
        List<ColumnSpec> text = columns.stream().map(col -> new ColumnSpec(col.name(), ColumnTypes.VARCHAR.duckName())).toList();
        Map<String, String> types = new LinkedHashMap<>();
        decimals.forEach(n -> types.put(n, declared.get(n)));
        SchemaCheck.refuseRounded(duck.rounded(readJson(body, text), types, null), types);
    }

    /** {@code got} with its BIGINT columns DECIMAL(38,0) unless all their values (read {@code wide}) fit BIGINT. */
    private static List<ColumnSpec> narrowedIntegers(Connection c, Path body, List<ColumnSpec> got, List<ColumnSpec> wide)
            throws SQLException {
        List<String> ints = got.stream().filter(col -> col.type().equals(ColumnTypes.BIGINT.duckName()))
                .map(ColumnSpec::name).toList();
        String select = ints.stream().map(n -> "coalesce(min(" + DuckCsv.ident(n) + ") >= " + BIGINT_MIN + " AND max("
                + DuckCsv.ident(n) + ") <= " + BIGINT_MAX + ", true)").collect(Collectors.joining(", "));
        List<ColumnSpec> out = new ArrayList<>(wide);
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT " + select + " FROM " + readJson(body, wide))) {
            r.next();
            for (int i = 0; i < ints.size(); i++) {
                if (r.getBoolean(i + 1)) {
                    String name = ints.get(i);
                    out.replaceAll(col -> col.name().equals(name) ? new ColumnSpec(name, ColumnTypes.BIGINT.duckName()) : col);
                }
            }
        }
        return out;
    }

    /** Reads the body with {@code read} types and writes {@code schema} (a cast where they differ). */
    private static long copy(Connection c, Path body, List<ColumnSpec> read, List<ColumnSpec> schema, Path parquet)
            throws SQLException {
        String select = schema.stream().map(col -> "CAST(" + DuckCsv.ident(col.name()) + " AS " + col.type() + ") AS "
                + DuckCsv.ident(col.name())).collect(Collectors.joining(", "));
        try (Statement s = c.createStatement()) {
            s.execute("COPY (SELECT " + select + " FROM " + readJson(body, read) + ") TO "
                    + DuckCsv.literal(parquet.toString()) + " (FORMAT parquet, COMPRESSION zstd)");
            return s.getUpdateCount();
        }
    }

    private static String readJson(Path body, List<ColumnSpec> columns) {
        StringBuilder sb = new StringBuilder("read_json(").append(DuckCsv.literal(body.toString()))
                .append(", format = 'newline_delimited'");
        if (columns != null) {
            Map<String, String> cols = new LinkedHashMap<>();
            columns.forEach(col -> cols.put(col.name(), col.type()));
            sb.append(", columns = ").append(cols.entrySet().stream()
                    .map(e -> DuckCsv.literal(e.getKey()) + ": " + DuckCsv.literal(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}")));
        }
        return sb.append(')').toString();
    }
}
