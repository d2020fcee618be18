package dev.lakehouse.queryd;

import dev.lakehouse.catalogd.CatalogdMain;
import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.common.model.PutResult;
import dev.lakehouse.common.model.RegisterRequest;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.storaged.StoragedMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The real parts queryd stands on, in-process: storaged on the embedded S3, catalogd on storaged, and a plain
 * (unlocked) DuckDB that writes the Parquet files datasets are made of.
 */
final class Lake implements AutoCloseable {
    static final OkHttpClient HTTP = S3Extension.signing(new OkHttpClient.Builder()
            .readTimeout(java.time.Duration.ofSeconds(60)).build());

    final S3Extension s3;
    final ServiceApp storaged;
    final ServiceApp catalogd;
    final StorageClient storage;
    final CatalogClient catalog;
    private final Connection writer;
    private final List<ServiceApp> querydApps = new ArrayList<>();

    Lake(S3Extension s3) throws Exception {
        this.s3 = s3;
        storaged = StoragedMain.start(Config.of(Map.of(
                "storaged.port", "0",
                "http.shutdown_hook", "false",
                "secrets_file", s3.secretsFile().toString(),
                "data_dir", s3.tempDir().resolve("storaged").toString())));
        storage = new StorageClient(storaged.baseUrl(), s3.credential());
        catalogd = catalogd();
        catalog = new CatalogClient(catalogd.baseUrl(), s3.credential());
        writer = DriverManager.getConnection("jdbc:duckdb:");
    }

    /** A catalogd on this lake's storaged (they share the catalog's state in S3); the caller closes it. */
    ServiceApp catalogd() throws InterruptedException {
        ServiceApp app = CatalogdMain.start(Config.of(Map.of(
                "catalogd.port", "0",
                "http.shutdown_hook", "false",
                "catalogd.rehydrate_retry", "100ms",
                "secrets_file", s3.secretsFile().toString(),
                "storaged.url", storaged.baseUrl())));
        awaitHealthy(app);
        return app;
    }

    /** A queryd on this lake; extra config keys override the test defaults. */
    ServiceApp queryd(Map<String, String> extra) {
        Map<String, String> cfg = new HashMap<>(Map.of(
                "queryd.port", "0",
                "http.shutdown_hook", "false",
                "secrets_file", s3.secretsFile().toString(),
                "catalogd.url", catalogd.baseUrl(),
                "data_dir", s3.tempDir().resolve("queryd-" + UUID.randomUUID()).toString(),
                "queryd.duckdb_memory_limit", "512MB"));
        cfg.putAll(extra);
        ServiceApp app = QuerydMain.start(Config.of(cfg));
        querydApps.add(app);
        return app;
    }

    /** Writes {@code select} to a Parquet file with DuckDB, puts it through storaged, returns its file entry. */
    FileEntry parquet(String dataset, String select) throws SQLException, IOException {
        Path tmp = s3.tempDir().resolve(UUID.randomUUID() + ".parquet");
        long rows;
        try (Statement s = writer.createStatement()) {
            s.execute("COPY (" + select + ") TO '" + tmp + "' (FORMAT parquet, COMPRESSION zstd)");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + tmp + "')")) {
                rs.next();
                rows = rs.getLong(1);
            }
        }
        String key = "datasets/" + dataset + "/" + UUID.randomUUID() + ".parquet";
        PutResult put = storage.put(key, tmp);
        long size = Files.size(tmp);
        Files.delete(tmp);
        return new FileEntry(key, rows, size, put.etag());
    }

    /** What DuckDB's own writer makes of {@code select}: {@code COPY (select) TO file (options)}, read back. */
    byte[] copy(String select, String options) throws SQLException, IOException {
        Path tmp = s3.tempDir().resolve(UUID.randomUUID() + ".out");
        try (Statement s = writer.createStatement()) {
            s.execute("COPY (" + select + ") TO '" + tmp + "' (" + options + ")");
        }
        byte[] out = Files.readAllBytes(tmp);
        Files.delete(tmp);
        return out;
    }

    /** Registers the next version of {@code dataset} with the given files. */
    Manifest register(String dataset, List<ColumnSpec> schema, List<FileEntry> files) {
        return catalog.register(dataset, new RegisterRequest(schema, files, null)).manifest();
    }

    static void awaitHealthy(ServiceApp app) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            try (Response r = HTTP.newCall(new Request.Builder().url(app.baseUrl() + "/health").build()).execute()) {
                if (r.code() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError(app.service().id() + " never became healthy");
    }

    @Override
    public void close() throws Exception {
        querydApps.forEach(ServiceApp::close);
        writer.close();
        catalogd.close();
        storaged.close();
    }
}
