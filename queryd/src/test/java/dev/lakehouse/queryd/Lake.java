package dev.lakehouse.queryd;

import dev.lakehouse.catalogd.CatalogdMain;
import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.common.model.PutResult;
import dev.lakehouse.common.model.RegisterRequest;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real parts queryd stands on, in-process: storaged on the embedded S3, catalogd on storaged, and a plain
 * (unlocked) DuckDB that writes the Parquet files datasets are made of. The queryd tests' one set-up, a JUnit
 * extension started before the class's {@code @BeforeAll} and closed after it:
 *
 * <pre>
 * &#64;RegisterExtension static final S3Extension S3 = new S3Extension();
 * &#64;RegisterExtension static final Lake LAKE = new Lake(S3);
 * </pre>
 */
final class Lake implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    static final OkHttpClient HTTP = dev.lakehouse.testkit.Http.SIGNED;
    static final Map<String, String> CATALOGD_KEYS = Map.of("catalogd.rehydrate_retry", "100ms");

    final S3Extension s3;
    TestFleet fleet;
    ServiceApp storaged;
    ServiceApp catalogd;
    StorageClient storage;
    CatalogClient catalog;
    private Connection writer;
    private final List<ServiceApp> querydApps = new ArrayList<>();

    Lake(S3Extension s3) {
        this.s3 = s3;
    }

    /** Starts storaged, catalogd and the writing DuckDB. */
    Lake start() throws SQLException {
        fleet = new TestFleet(s3);
        storaged = fleet.start(Service.STORAGED, StoragedMain::start);
        storage = fleet.storage();
        catalogd = fleet.start(Service.CATALOGD, CatalogdMain::start, CATALOGD_KEYS);
        catalog = fleet.catalog();
        writer = DriverManager.getConnection("jdbc:duckdb:");
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    /** Another catalogd on this lake's storaged (they share the catalog's state in S3); the caller may close it. */
    ServiceApp catalogd() {
        return fleet.another(Service.CATALOGD, CatalogdMain::start, CATALOGD_KEYS);
    }

    /** A queryd on this lake (not waited for); extra config keys override the test defaults. */
    ServiceApp queryd(Map<String, String> extra) {
        Map<String, String> cfg = new HashMap<>(Map.of(
                "data_dir", s3.tempDir().resolve("queryd-" + UUID.randomUUID()).toString(),
                "queryd.duckdb_memory_limit", "512MB"));
        cfg.putAll(extra);
        ServiceApp app = QuerydMain.start(fleet.config(Service.QUERYD, cfg));
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

    @Override
    public void close() throws Exception {
        querydApps.forEach(ServiceApp::close);
        querydApps.clear();
        if (writer != null) {
            writer.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }
}
