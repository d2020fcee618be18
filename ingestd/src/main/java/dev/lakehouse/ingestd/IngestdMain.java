package dev.lakehouse.ingestd;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.idempotency.IdempotencyStore;
import dev.lakehouse.common.idempotency.StorageRecords;
import dev.lakehouse.ingestd.api.Formats;
import dev.lakehouse.ingestd.api.IdempotentIngests;
import dev.lakehouse.ingestd.api.IngestRoutes;
import dev.lakehouse.ingestd.csv.DuckCsv;
import dev.lakehouse.ingestd.pipeline.Compactor;
import dev.lakehouse.ingestd.pipeline.Ingester;
import dev.lakehouse.ingestd.pipeline.PendingUploads;
import dev.lakehouse.ingestd.spool.CsvSpool;
import dev.lakehouse.ingestd.spool.SpoolJanitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * Wires config → ingestd. Keys: {@code ingestd.spool_dir} (temp CSV/Parquet files; default
 * {@code <data_dir>/ingest-spool}), {@code ingestd.max_csv_bytes} (default 8 GiB), {@code ingestd.duckdb_memory}
 * (default 512MB), {@code ingestd.duckdb_threads} (default: all cores), {@code ingestd.pending_grace} (20s) and
 * {@code ingestd.janitor_interval} (10s) for unresolved uploads ({@link PendingUploads}) and the spool sweep,
 * {@code ingestd.spool_max_age} (6h: spool files untouched that long are removed, {@link SpoolJanitor}),
 * {@code ingestd.compact_target_bytes} (128 MiB) and {@code ingestd.compact_file_threshold} (64; 0 = only on
 * request) for {@link Compactor}, {@code ingestd.streamed_uploads} (2; 0 = off) and {@code ingestd.stream_min_bytes}
 * (8 MiB of body) for uploads that run while DuckDB writes the Parquet file (ADR 0028), plus
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
            // before DuckDB opens its temp dir in there: what a killed ingestd left is removed first
            SpoolJanitor spoolJanitor = new SpoolJanitor(spoolDir,
                    config.duration("ingestd.spool_max_age", Duration.ofHours(6)), Clock.systemUTC());
            CsvSpool spool = new CsvSpool(spoolDir, config.longValue("ingestd.max_csv_bytes", 8L << 30));
            DuckCsv duck = new DuckCsv(config.string("ingestd.duckdb_memory", "512MB"),
                    config.integer("ingestd.duckdb_threads", Runtime.getRuntime().availableProcessors()),
                    spool.dir().resolve("duckdb-tmp"));
            FleetCredential credential = FleetCredential.load(config);
            StorageClient storage = new StorageClient(config.url(Service.STORAGED), credential);
            CatalogClient catalog = new CatalogClient(config.url(Service.CATALOGD), credential);
            PendingUploads pending = new PendingUploads(storage, catalog,
                    config.duration("ingestd.pending_grace", Duration.ofSeconds(20)));
            Duration janitorEvery = config.duration("ingestd.janitor_interval", Duration.ofSeconds(10));
            pending.startJanitor(janitorEvery);
            spoolJanitor.start(janitorEvery);
            Ingester ingester = new Ingester(storage, catalog, spool.dir(), pending, new Ingester.Streaming(
                    config.integer("ingestd.streamed_uploads", 2),
                    config.longValue("ingestd.stream_min_bytes", 8L << 20)));
            Compactor compactor = new Compactor(duck, storage, catalog, pending, ingester, spool.dir(),
                    config.longValue("ingestd.compact_target_bytes", 128L << 20),
                    config.integer("ingestd.compact_file_threshold", 64));
            IdempotencyStore idempotency = new IdempotencyStore(new StorageRecords(storage), Service.INGESTD.id(),
                    config.duration("idempotency.window", Duration.ofHours(24)), Clock.systemUTC());
            idempotency.startSweeping();
            return ServiceApp.builder(Service.INGESTD, config)
                    .metrics(ingester::bindMetrics)
                    .routes(new IngestRoutes(ingester, spool, new Formats(duck), compactor,
                            new IdempotentIngests(ingester, catalog, idempotency))::register)
                    .onStop(() -> {
                        compactor.close();
                        ingester.close();
                        pending.close();
                        spoolJanitor.close();
                        idempotency.close();
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
