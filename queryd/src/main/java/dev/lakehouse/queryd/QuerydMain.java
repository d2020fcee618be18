package dev.lakehouse.queryd;

import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.HttpClients;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.S3Settings;
import dev.lakehouse.common.config.Secrets;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.s3.S3Clients;
import dev.lakehouse.queryd.api.SqlRoutes;
import dev.lakehouse.queryd.engine.DuckEngine;
import dev.lakehouse.queryd.exec.QueryRunner;
import dev.lakehouse.queryd.result.ArrowSupport;
import dev.lakehouse.queryd.views.DatasetViews;
import dev.lakehouse.queryd.views.ParquetCache;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Wires config → the queryd server: a locked-down DuckDB, the local Parquet cache fed from S3, the catalog
 * client, and {@code POST /sql}.
 *
 * <p>Keys: {@code queryd.cache_dir} (default {@code <data_dir>/queryd/cache}), {@code queryd.cache_max_bytes}
 * (8 GiB), {@code queryd.row_limit} (10000), {@code queryd.max_row_limit} (1000000),
 * {@code queryd.statement_timeout} (30s), {@code queryd.max_concurrent} (8), {@code queryd.duckdb_memory_limit}
 * (2GB), {@code queryd.duckdb_threads} (0 = DuckDB's default, one per core),
 * {@code queryd.duckdb_allocator_background_threads} (true), {@code queryd.arrow_batch_rows}
 * (65536), {@code queryd.statement_cache} (1024 admitted statements remembered), {@code catalogd.url}.
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
        DuckEngine engine = new DuckEngine(cacheDir, root.resolve("spill"),
                config.string("queryd.duckdb_memory_limit", "2GB"), config.integer("queryd.duckdb_threads", 0),
                config.bool("queryd.duckdb_allocator_background_threads", true));
        Duration statementTimeout = config.duration("queryd.statement_timeout", Duration.ofSeconds(30));
        // asked on every query: no OkHttp watchdog thread woken twice per call; a catalog silent for as long as a
        // statement may run fails the query (504) instead of holding it
        CatalogClient catalog = new CatalogClient(config.url(Service.CATALOGD), HttpClients.idleTimed(statementTimeout));
        int maxConcurrent = config.integer("queryd.max_concurrent", 8);
        QueryRunner runner = new QueryRunner(engine, new DatasetViews(catalog, cache), statementTimeout,
                maxConcurrent, config.integer("queryd.statement_cache", 1024));
        ArrowSupport arrow = new ArrowSupport(config.longValue("queryd.arrow_max_bytes", 1L << 30),
                config.longValue("queryd.arrow_query_max_bytes", 256L << 20),
                config.integer("queryd.arrow_batch_rows", 65536));
        SqlRoutes sql = new SqlRoutes(runner, arrow, config.longValue("queryd.row_limit", 10_000),
                config.longValue("queryd.max_row_limit", 1_000_000));
        return ServiceApp.builder(Service.QUERYD, config)
                .routes(sql::register)
                .health(() -> {
                    Map<String, Object> h = new LinkedHashMap<>();
                    h.put("duckdb", engine.version());
                    h.put("httpfs", engine.httpfsLoaded());
                    h.put("cache", cache.stats());
                    h.putAll(runner.stats());
                    return h;
                })
                .onStop(s3::close)
                .onStop(engine::close)
                .onStop(runner::close)
                .onStop(arrow::close)
                .start();
    }
}
