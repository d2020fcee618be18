package dev.lakehouse.ingestd;

import dev.lakehouse.common.ColumnTypes;
import dev.lakehouse.common.model.ColumnSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;

/**
 * CSV → Parquet with an in-process DuckDB: {@link #sniff} infers the schema (mapped onto the six allowed types),
 * {@link #toParquet} parses and writes Parquet (zstd) in one parallel pass. The dialect is fixed (comma, double
 * quote, header row, strict mode), so DuckDB only infers types. See docs/adr/0005-parquet-writer.md.
 */
final class DuckCsv implements AutoCloseable {
    private static final String CANDIDATES = "['BOOLEAN','BIGINT','DOUBLE','DATE','TIMESTAMP','VARCHAR']";

    private final DuckDBConnection root;

    DuckCsv(String memoryLimit, int threads, Path tempDir) throws SQLException {
        root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = root.createStatement()) {
            s.execute("SET memory_limit = " + literal(memoryLimit));
            s.execute("SET threads = " + threads);
            s.execute("SET temp_directory = " + literal(tempDir.toString()));
        }
    }

    /** The file's columns as DuckDB infers them, mapped onto {@link ColumnTypes#ALL}. */
    List<ColumnSpec> sniff(Path csv, boolean fullSample) throws SQLException {
        List<ColumnSpec> out = new ArrayList<>();
        // a fresh connection and statement per call: after an error the driver closes the statement
        try (Connection c = root.duplicate(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + readCsv(csv, Map.of(), fullSample))) {
            while (r.next()) {
                out.add(new ColumnSpec(r.getString("column_name"), allowed(r.getString("column_type"))));
            }
        }
        return out;
    }

    /** Parses {@code csv} with the given column types and writes it as zstd Parquet to {@code out}; returns the row count. */
    long toParquet(Path csv, List<ColumnSpec> schema, boolean fullSample, Path out) throws SQLException {
        Map<String, String> types = schema.stream().collect(Collectors.toMap(ColumnSpec::name, ColumnSpec::type,
                (a, b) -> a, java.util.LinkedHashMap::new));
        try (Connection c = root.duplicate(); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM " + readCsv(csv, types, fullSample) + ") TO " + literal(out.toString())
                    + " (FORMAT parquet, COMPRESSION zstd)");
            return s.getUpdateCount();
        }
    }

    /** DuckDB's name for a sniffed type, as one of the six allowed types. */
    static String allowed(String duckType) {
        String t = duckType.toUpperCase(Locale.ROOT);
        String canonical = ColumnTypes.canonical(t);
        if (canonical != null) {
            return canonical;
        }
        if (t.startsWith("TIMESTAMP")) {
            return ColumnTypes.TIMESTAMP;
        }
        return switch (t) {
            case "TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT", "UINTEGER" -> ColumnTypes.BIGINT;
            case "FLOAT", "REAL" -> ColumnTypes.DOUBLE;
            default -> t.startsWith("DECIMAL") ? ColumnTypes.DOUBLE : ColumnTypes.VARCHAR;
        };
    }

    private static String readCsv(Path csv, Map<String, String> types, boolean fullSample) {
        StringBuilder sb = new StringBuilder("read_csv(").append(literal(csv.toString()))
                .append(", header = true, skip = 0, delim = ',', quote = '\"', escape = '\"', strict_mode = true")
                .append(", auto_type_candidates = ").append(CANDIDATES);
        if (fullSample) {
            sb.append(", sample_size = -1");
        }
        if (!types.isEmpty()) {
            sb.append(", types = {").append(types.entrySet().stream()
                    .map(e -> literal(e.getKey()) + ": " + literal(e.getValue()))
                    .collect(Collectors.joining(", "))).append('}');
        }
        return sb.append(')').toString();
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @Override
    public void close() throws SQLException {
        root.close();
    }
}
