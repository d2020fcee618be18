package dev.lakehouse.catalogd.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The footer reader names every column type exactly as DuckDB's own read_parquet does. */
class ParquetFooterTest {
    @TempDir
    Path dir;

    static ParquetFooter footerOf(Path file) throws Exception {
        byte[] all = Files.readAllBytes(file);
        int length = ByteBuffer.wrap(all, all.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return ParquetFooter.parse(Arrays.copyOfRange(all, all.length - 8 - length, all.length - 8));
    }

    @Test
    void typesAreDuckDbsOwnIncludingDecimalPrecisionAndScale() throws Exception {
        Path file = dir.resolve("t.parquet");
        List<String> duck = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT 1::BIGINT AS id, 'x' AS s, 12.34::DECIMAL(10,2) AS amount, 1::DECIMAL(38,0) AS big, "
                    + "3.5::DECIMAL(4,1) AS small, uuid() AS u, TIME '08:30:00' AS t, DATE '2024-01-01' AS d, "
                    + "TIMESTAMPTZ '2024-01-01 00:00:00+00' AS tz, TIMESTAMP '2024-01-01 10:00:00' AS ts, true AS b, 1.5::DOUBLE AS x) "
                    + "TO '" + file + "' (FORMAT parquet)");
            try (ResultSet rs = st.executeQuery("SELECT column_name || ' ' || column_type FROM (DESCRIBE SELECT * FROM read_parquet('" + file + "'))")) {
                while (rs.next()) {
                    duck.add(rs.getString(1));
                }
            }
        }
        ParquetFooter f = footerOf(file);
        assertEquals(1, f.rows());
        assertEquals(duck, f.columns().stream().map(col -> col.name() + " " + col.type()).toList());
    }
}
