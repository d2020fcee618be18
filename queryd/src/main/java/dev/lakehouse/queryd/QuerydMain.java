package dev.lakehouse.queryd;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.HttpClients;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.client.VectorsClient;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.S3Settings;
import dev.lakehouse.common.config.Secrets;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.http.StatsMeters;
import dev.lakehouse.common.s3.S3Clients;
import dev.lakehouse.queryd.admission.Admission;
import dev.lakehouse.queryd.api.SqlRoutes;
import dev.lakehouse.queryd.engine.DuckEngine;
import dev.lakehouse.queryd.erasure.ErasureRoutes;
import dev.lakehouse.queryd.erasure.FileEraser;
import dev.lakehouse.queryd.exec.QueryRunner;
import dev.lakehouse.queryd.result.ResultMemory;
import dev.lakehouse.queryd.vectors.VectorSearch;
import dev.lakehouse.queryd.views.DatasetViews;
import dev.lakehouse.queryd.views.DeletedDatasetSweep;
import dev.lakehouse.queryd.views.ParquetCache;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Wires config → the queryd server: two locked-down DuckDBs (JSON pages materialized, exports streamed), the local
 * Parquet cache fed from S3, the catalog client, admission with its queue, the result-memory budget, and
 * {@code POST /sql}. Keys: docs/queryd.md and docs/configuration.md.
 */
public final class QuerydMain {
    private QuerydMain() {}

    public static void main(String[] args) {
        start(Config.load(args));
    }

    public static ServiceApp start(Config config) {
        Path root = config.dataDir().resolve("queryd");
        Path cacheDir = Path.of(config.string("queryd.cache_dir", root.resolve("cache").toString()));
        S3Settings s3settings = Secrets.primaryS3(config);
        S3Client s3 = S3Clients.create(s3settings);
        ParquetCache cache = new ParquetCache(cacheDir,
                config.longValue("queryd.cache_max_bytes", 8L << 30), s3, s3settings.bucket());
        String memoryLimit = config.string("queryd.duckdb_memory_limit", "2GB");
        int threads = config.integer("queryd.duckdb_threads", 0);
        boolean allocatorThreads = config.bool("queryd.duckdb_allocator_background_threads", true);
        DuckEngine pages = new DuckEngine(cacheDir, root.resolve("spill"), memoryLimit, threads, allocatorThreads, false);
        DuckEngine exports = new DuckEngine(cacheDir, root.resolve("spill-exports"), memoryLimit, threads,
                allocatorThreads, true, config.string("queryd.duckdb_streaming_buffer", "16MB"));
        Duration statementTimeout = config.duration("queryd.statement_timeout", Duration.ofSeconds(30));
        // asked on every query: no OkHttp watchdog thread woken twice per call; a catalog silent for as long as a
        // statement may run fails the query (504) instead of holding it
        CatalogClient catalog = new CatalogClient(config.url(Service.CATALOGD), HttpClients.idleTimed(statementTimeout),
                FleetCredential.load(config));
        DeletedDatasetSweep sweep = new DeletedDatasetSweep(catalog, cache,
                config.duration("queryd.cache_sweep_interval", Duration.ofSeconds(2)));
        int maxConcurrent = config.integer("queryd.max_concurrent", 8);
        Admission admission = new Admission(maxConcurrent, config.integer("queryd.queue_length", 64),
                config.duration("queryd.queue_timeout", Duration.ofSeconds(10)));
        QueryRunner runner = new QueryRunner(pages, exports, new DatasetViews(catalog, cache), statementTimeout,
                config.duration("queryd.export_timeout", Duration.ofMinutes(10)), admission, maxConcurrent,
                config.integer("queryd.statement_cache", 1024),
                new VectorSearch(new VectorsClient(config.url(Service.VECTORD), HttpClients.idleTimed(statementTimeout),
                        FleetCredential.load(config))));
        runner.pivotMaxValues(config.integer("queryd.pivot_max_values", 1000));
        ResultMemory memory = new ResultMemory(
                config.longValue("queryd.result_max_bytes", config.longValue("queryd.arrow_max_bytes", 1L << 30)),
                config.longValue("queryd.result_query_max_bytes", config.longValue("queryd.arrow_query_max_bytes", 256L << 20)),
                config.integer("queryd.arrow_batch_rows", 65536), config.integer("queryd.text_batch_rows", 2048));
        SqlRoutes sql = new SqlRoutes(runner, memory, config.longValue("queryd.row_limit", 10_000),
                config.longValue("queryd.max_row_limit", 1_000_000));
        // erasure steps for catalogd's coordinator (ADR 0024): the rewritten files go through storaged like ingestd's
        FileEraser eraser = new FileEraser(cache, new StorageClient(config.url(Service.STORAGED), FleetCredential.load(config)),
                root.resolve("erasure"), config.string("queryd.erasure_memory_limit", "256MB"));
        return ServiceApp.builder(Service.QUERYD, config)
                .routes(sql::register)
                .routes(new ErasureRoutes(eraser)::register)
                // the /health figures as Prometheus series; statement timeouts are http_server_requests{status="504"}
                .metrics(m -> {
                    StatsMeters.gauges(m, "queryd", runner::stats, "admission.running", "admission.queued", "admission.slots");
                    StatsMeters.counters(m, "queryd", runner::stats, "admission.waited", "admission.refused_queue_full",
                            "admission.refused_queue_timeout");
                    StatsMeters.gauges(m, "queryd_cache", cache::stats, "files", "bytes", "max_bytes", "pinned");
                    StatsMeters.counters(m, "queryd_cache", cache::stats, "hits", "downloads", "downloaded_bytes", "evictions");
                })
                .health(() -> {
                    Map<String, Object> h = new LinkedHashMap<>();
                    h.put("duckdb", pages.version());
                    h.put("httpfs", pages.httpfsLoaded());
                    h.put("cache", cache.stats());
                    h.putAll(runner.stats());
                    h.put("result_memory", memory.stats());
                    return h;
                })
                .onStop(sweep::close)
                .onStop(s3::close)
                .onStop(runner::close)
                .onStop(pages::close)
                .onStop(exports::close)
                .onStop(memory::close)
                .start();
    }
}
