package dev.lakehouse.catalogd;

import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.PutResult;
import java.nio.file.Path;

/** Real Parquet files, written by DuckDB and put through the real storaged, for catalogd's tests. */
public final class TestLake {
    private TestLake() {}

    /** Writes {@code select} as Parquet with DuckDB, puts it at {@code key}, returns its true file entry. */
    public static FileEntry put(StorageClient storage, Path tmpDir, String key, String select) {
        Path tmp = tmpDir.resolve(java.util.UUID.randomUUID() + ".parquet");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                java.sql.Statement st = c.createStatement()) {
            st.execute("COPY (" + select + ") TO '" + tmp + "' (FORMAT parquet)");
            long rows;
            try (java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM '" + tmp + "'")) {
                rs.next();
                rows = rs.getLong(1);
            }
            PutResult put = storage.put(key, tmp);
            return new FileEntry(key, rows, put.size(), put.etag());
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        } finally {
            tmp.toFile().delete();
        }
    }
}
