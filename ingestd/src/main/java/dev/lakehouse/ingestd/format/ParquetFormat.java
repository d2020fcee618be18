package dev.lakehouse.ingestd.format;

import dev.lakehouse.common.ColumnTypes;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.ingestd.csv.DuckCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Parquet body (a file the client already has): the schema comes from its footer, each column mapped onto
 * {@link ColumnTypes} (narrower integers and FLOAT widen; a type no column type holds without loss — nested,
 * TIMESTAMP_NS, unsigned 128-bit — is refused, 400). The file is stored as sent when its types are already the
 * dataset's, and rewritten by DuckDB (zstd) only when a column needs a cast. Every row group is read once either
 * way, so a file whose pages do not decode is refused here rather than failing queries later.
 */
public final class ParquetFormat implements BodyFormat {
    private final DuckCsv duck;

    public ParquetFormat(DuckCsv duck) {
        this.duck = duck;
    }

    @Override
    public Converted convert(String dataset, List<ColumnSpec> current, Path body, Path parquet, Phases phases)
            throws IOException {
        try (Connection c = duck.connection()) {
            List<String> declared = new ArrayList<>();
            List<ColumnSpec> got = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + read(body))) {
                while (r.next()) {
                    String name = r.getString("column_name");
                    String duckType = r.getString("column_type");
                    String type = ColumnTypes.holding(duckType);
                    if (type == null) {
                        throw new BadRequest("column '" + name + "' is " + duckType + "; supported: " + ColumnTypes.ALL,
                                Map.of("code", "unsupported_type", "column", name));
                    }
                    declared.add(duckType);
                    got.add(new ColumnSpec(name, type));
                }
            }
            List<ColumnSpec> schema = current == null ? got : SchemaCheck.forAppend(dataset, current, got);
            boolean asIs = true;
            for (int i = 0; i < schema.size(); i++) {
                asIs &= schema.get(i).type().equals(declared.get(i));
            }
            long rows;
            try (Statement s = c.createStatement()) {
                if (asIs) {
                    // hashing reads every value: a file that does not decode is refused now, not at query time
                    String all = schema.stream().map(col -> DuckCsv.ident(col.name())).collect(Collectors.joining(", "));
                    try (ResultSet r = s.executeQuery("SELECT count(*), bit_xor(hash(" + all + ")) FROM " + read(body))) {
                        r.next();
                        rows = r.getLong(1);
                    }
                    Files.copy(body, parquet, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    String select = schema.stream().map(col -> "CAST(" + DuckCsv.ident(col.name()) + " AS " + col.type()
                            + ") AS " + DuckCsv.ident(col.name())).collect(Collectors.joining(", "));
                    s.execute("COPY (SELECT " + select + " FROM " + read(body) + ") TO " + DuckCsv.literal(parquet.toString())
                            + " (FORMAT parquet, COMPRESSION zstd)");
                    rows = s.getUpdateCount();
                }
            }
            if (rows == 0) {
                throw new BadRequest("the Parquet file has no rows", Map.of("code", "no_rows"));
            }
            return new Converted(schema, rows, Map.of("format", "parquet", "rewritten", !asIs));
        } catch (SQLException e) {
            throw new BadRequest("Parquet rejected: " + DuckCsv.firstLine(e.getMessage()), Map.of("code", "malformed_parquet"));
        }
    }

    private static String read(Path body) {
        return "read_parquet(" + DuckCsv.literal(body.toString()) + ")";
    }
}
