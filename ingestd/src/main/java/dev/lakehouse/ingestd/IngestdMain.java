package dev.lakehouse.ingestd;

import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.SQLException;

/**
 * Wires config → ingestd. Keys: {@code ingestd.spool_dir} (temp CSV/Parquet files; default
 * {@code <data_dir>/ingest-spool}), {@code ingestd.max_csv_bytes} (default 8 GiB), {@code ingestd.duckdb_memory}
 * (default 512MB), {@code ingestd.duckdb_threads} (default: all cores), {@code ingestd.pending_grace} (20s) and
 * {@code ingestd.janitor_interval} (10s) for unresolved uploads ({@link PendingUploads}), {@code ingestd.compact_target_bytes}
 * (128 MiB) and {@code ingestd.compact_file_threshold} (64; 0 = only on request) for {@link Compactor}, plus
 * {@code storaged.url}/{@code catalogd.url}.
 */
public final class IngestdMain {
    private IngestdMain() {}

    public static void main(String[] args) {
        start(Config.load(args));
    }

    public static ServiceApp start(Config config) {
        Path spoolDir = Path.of(config.string("ingestd.spool_dir", config.dataDir().resolve("ingest-spool").toString()));
        try {
            CsvSpool spool = new CsvSpool(spoolDir, config.longValue("ingestd.max_csv_bytes", 8L << 30));
            DuckCsv duck = new DuckCsv(config.string("ingestd.duckdb_memory", "512MB"),
                    config.integer("ingestd.duckdb_threads", Runtime.getRuntime().availableProcessors()),
                    spool.dir().resolve("duckdb-tmp"));
            StorageClient storage = new StorageClient(config.url(Service.STORAGED));
            CatalogClient catalog = new CatalogClient(config.url(Service.CATALOGD));
            PendingUploads pending = new PendingUploads(storage, catalog,
                    config.duration("ingestd.pending_grace", Duration.ofSeconds(20)));
            pending.startJanitor(config.duration("ingestd.janitor_interval", Duration.ofSeconds(10)));
            Ingester ingester = new Ingester(storage, catalog, spool.dir(), pending);
            Compactor compactor = new Compactor(duck, storage, catalog, pending, ingester, spool.dir(),
                    config.longValue("ingestd.compact_target_bytes", 128L << 20),
                    config.integer("ingestd.compact_file_threshold", 64));
            return ServiceApp.builder(Service.INGESTD, config)
                    .routes(new IngestRoutes(ingester, spool, new Formats(duck), compactor)::register)
                    .onStop(() -> {
                        compactor.close();
                        pending.close();
                        try {
                            duck.close();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("ingestd spool dir " + spoolDir, e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open DuckDB: " + e.getMessage(), e);
        }
    }
}
