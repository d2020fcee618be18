package dev.lakehouse.queryd.engine;

import dev.lakehouse.queryd.exec.QueryRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one in-process DuckDB database of queryd, locked down before any user SQL can reach it: no extension
 * installs or auto-loads, no external access except the Parquet cache directory, and the configuration
 * locked so SQL cannot undo any of it. Each query gets its own connection ({@link #connect()}) on the shared
 * database, so temporary views of one query are invisible to another.
 */
public final class DuckEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DuckEngine.class);

    private final DuckDBConnection root;
    private final Path readableDir;
    private final boolean httpfs;
    private final String version;
    private final ExportPipes pipes;

    /**
     * @param readableDir the only directory SQL may read (the Parquet cache)
     * @param spillDir    DuckDB's temp directory for out-of-core operators
     * @param allocatorBackgroundThreads whether jemalloc's purging runs on its own threads (see below)
     * @param streaming whether results are streamed to the client as they are computed (exports) or materialized
     *                  first (JSON pages; see below)
     */
    public DuckEngine(Path readableDir, Path spillDir, String memoryLimit, int threads,
            boolean allocatorBackgroundThreads, boolean streaming) {
        this(readableDir, spillDir, memoryLimit, threads, allocatorBackgroundThreads, streaming, null);
    }

    /**
     * @param streamingBuffer for a streaming engine, how far (bytes, DuckDB's {@code streaming_buffer_size}) its
     *                        worker threads may compute ahead of the reader; null: DuckDB's default (~1 MB)
     */
    public DuckEngine(Path readableDir, Path spillDir, String memoryLimit, int threads,
            boolean allocatorBackgroundThreads, boolean streaming, String streamingBuffer) {
        this(readableDir, spillDir, memoryLimit, threads, allocatorBackgroundThreads, streaming, streamingBuffer, null);
    }

    /**
     * @param exportDir where queryd's own {@code COPY ... TO} writes CSV exports into pipes ({@link ExportPipes}): the
     *                  one writable directory, allowed before the configuration is locked; null: none
     */
    public DuckEngine(Path readableDir, Path spillDir, String memoryLimit, int threads,
            boolean allocatorBackgroundThreads, boolean streaming, String streamingBuffer, Path exportDir) {
        this.readableDir = readableDir.toAbsolutePath().normalize();
        this.pipes = exportDir == null ? null : new ExportPipes(exportDir);
        try {
            Files.createDirectories(this.readableDir);
            Files.createDirectories(spillDir);
            Properties props = new Properties();
            // JSON pages: materialized, DuckDB's streaming collector ran a filtered 1M-row scan ~1.5x slower here
            // (measured) and a page is bounded by a LIMIT, so materializing is bounded too. Exports: streamed, so a
            // whole result never sits in memory. The setting is per connection and the configuration is locked
            // below, so each kind has a database of its own (ADR 0013).
            props.setProperty("jdbc_stream_results", Boolean.toString(streaming));
            props.setProperty("autoinstall_known_extensions", "false");
            props.setProperty("autoload_known_extensions", "false");
            props.setProperty("allow_community_extensions", "false");
            props.setProperty("allow_unsigned_extensions", "false");
            root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", props);
            httpfs = tryLoadHttpfs(root);
            try (Statement s = root.createStatement()) {
                s.execute("SET memory_limit = " + quote(memoryLimit));
                if (threads > 0) {
                    s.execute("SET threads = " + threads);
                }
                s.execute("SET temp_directory = " + quote(spillDir.toAbsolutePath().normalize().toString()));
                s.execute("SET parquet_metadata_cache = true");
                if (streaming && streamingBuffer != null) {
                    // A streamed result is computed on DuckDB's threads only up to this buffer; past it, the
                    // thread that reads the result (the export's) does the work itself, one core for what
                    // would run on all. With 16 MB, that thread took ~30% less CPU in a rendered CSV export
                    // (measured, docs/queryd.md). Held per running export, inside memory_limit.
                    s.execute("SET streaming_buffer_size = " + quote(streamingBuffer));
                }
                // DuckDB's jemalloc returns freed memory to the OS on the threads that run queries unless it has
                // background threads for it. With them, a GROUP BY over 1M rows took ~10% less CPU and wall time
                // here (measured in queryd and standalone, docs/queryd.md). Process-wide: queryd has one DuckDB.
                s.execute("SET allocator_background_threads = " + allocatorBackgroundThreads);
                // Unordered results may come in any order (ORDER BY is still honoured: its output is fixed-order).
                // With insertion order kept, DuckDB plans the LIMIT that bounds every query (> 10000 rows) as a
                // single-threaded streaming limit: a filtered 1M-row scan took ~2x as long (measured).
                s.execute("SET preserve_insertion_order = false");
                s.execute("SET allowed_directories = [" + quote(this.readableDir + "/")
                        + (pipes == null ? "" : ", " + quote(pipes.dir() + "/")) + "]");
                s.execute("SET enable_external_access = false");
                s.execute("SET lock_configuration = true");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start DuckDB: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        version = queryVersion();
        log.info("DuckDB {} locked down: external access off, readable only {}, httpfs {}",
                version(), this.readableDir, httpfs ? "loaded" : "unavailable (local Parquet cache in use)");
    }

    /**
     * The production path would read S3 through httpfs with {@code CREATE SECRET}; the JDBC driver does not
     * bundle it and it cannot be downloaded offline, so it is tried once and the local cache is used either way.
     */
    private static boolean tryLoadHttpfs(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("LOAD httpfs");
            return true;
        } catch (SQLException e) {
            log.info("httpfs not loadable ({}); reading Parquet through the local cache",
                    e.getMessage().lines().findFirst().orElse(""));
            return false;
        }
    }

    /** A new connection on the shared database; the caller closes it. */
    public DuckDBConnection connect() throws SQLException {
        return (DuckDBConnection) root.duplicate();
    }

    /** The export pipes, or null on an engine without an export directory. */
    public ExportPipes pipes() {
        return pipes;
    }

    public Path readableDir() {
        return readableDir;
    }

    public boolean httpfsLoaded() {
        return httpfs;
    }

    /** DuckDB's version, read once at start (the root connection is not used concurrently). */
    public String version() {
        return version;
    }

    private String queryVersion() {
        try (Statement s = root.createStatement(); var rs = s.executeQuery("SELECT version()")) {
            return rs.next() ? rs.getString(1) : "?";
        } catch (SQLException e) {
            return "?";
        }
    }

    /** A SQL string literal. */
    public static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** A SQL identifier. */
    public static String ident(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    @Override
    public void close() {
        try {
            root.close();
        } catch (SQLException e) {
            log.warn("closing DuckDB: {}", e.getMessage());
        }
    }
}
