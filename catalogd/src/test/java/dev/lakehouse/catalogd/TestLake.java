package dev.lakehouse.catalogd;

import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.PutResult;
import java.nio.file.Path;
import java.util.Map;

/** What catalogd's tests stand on: the real storaged on the embedded S3, real Parquet files DuckDB writes. */
public final class TestLake {
    private TestLake() {}

    /** storaged in-process on the embedded S3. */
    public static ServiceApp storaged(S3Extension s3) {
        return StoragedMain.start(Config.of(Map.of(
                "storaged.port", "0",
                "http.shutdown_hook", "false",
                "secrets_file", s3.secretsFile().toString(),
                "data_dir", s3.tempDir().resolve("storaged").toString())));
    }

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
