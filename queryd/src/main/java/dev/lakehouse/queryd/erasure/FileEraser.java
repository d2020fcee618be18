package dev.lakehouse.queryd.erasure;

import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.PutResult;
import dev.lakehouse.queryd.engine.DuckEngine;
import dev.lakehouse.queryd.views.ParquetCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * Counts and removes a predicate's rows in one Parquet file of a dataset. Each call gets a DuckDB of its own, locked
 * down like queryd's engines (no extensions, external access only to the cache and the work directory, config
 * locked), in which the dataset's name is a view of that one file, so the admitted statements read nothing else.
 * The rewrite keeps DuckDB's insertion order (one thread), so the kept rows stay in their order.
 */
public final class FileEraser {
    private final ParquetCache cache;
    private final StorageClient storage;
    private final Path workDir;
    private final String memoryLimit;

    public FileEraser(ParquetCache cache, StorageClient storage, Path workDir, String memoryLimit) {
        this.cache = cache;
        this.storage = storage;
        this.workDir = workDir.toAbsolutePath().normalize();
        this.memoryLimit = memoryLimit;
        try {
            Files.createDirectories(this.workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many rows of {@code file} match. */
    public long count(String dataset, FileEntry file, String predicate) {
        try (ParquetCache.Lease lease = cache.acquire(dataset, List.of(file)); Connection c = open()) {
            ErasurePredicate p = ErasurePredicate.admit(c, dataset, predicate);
            view(c, dataset, lease.paths().get(0));
            return single(c, p.count());
        } catch (SQLException e) {
            throw failed(dataset, file, e);
        }
    }

    /**
     * Writes {@code file} without the matching rows to {@code targetKey}: {@code {key,rows,bytes,etag,removed}}. The
     * written file's rows must be the file's minus the matching ones, else nothing is uploaded.
     */
    public Map<String, Object> rewrite(String dataset, FileEntry file, String predicate, String targetKey) {
        Path out = workDir.resolve("erase-" + UUID.randomUUID() + ".parquet");
        try (ParquetCache.Lease lease = cache.acquire(dataset, List.of(file)); Connection c = open()) {
            ErasurePredicate p = ErasurePredicate.admit(c, dataset, predicate);
            view(c, dataset, lease.paths().get(0));
            long removed = single(c, p.count());
            try (Statement s = c.createStatement()) {
                s.execute("COPY (" + p.keep() + ") TO " + DuckEngine.quote(out.toString())
                        + " (FORMAT parquet, COMPRESSION zstd)");
            }
            long kept = single(c, "SELECT count(*) FROM read_parquet(" + DuckEngine.quote(out.toString()) + ")");
            if (kept + removed != file.rows()) {
                throw new ApiException(500, "rewrite of " + file.key() + " kept " + kept + " and removed " + removed
                        + " rows of " + file.rows() + "; nothing was uploaded",
                        Map.of("code", ErrorCodes.ERASURE_ROW_MISMATCH, "key", file.key()), null);
            }
            PutResult put = storage.put(targetKey, out);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("key", targetKey);
            answer.put("rows", kept);
            answer.put("bytes", put.size());
            answer.put("etag", put.etag());
            answer.put("removed", removed);
            return answer;
        } catch (SQLException e) {
            throw failed(dataset, file, e);
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException e) {
                // the work directory is queryd's own; a leftover holds kept rows only
            }
        }
    }

    /** Drops every cached file of {@code dataset} (the erased ones among them) at once, or when its last query ends. */
    public void evict(String dataset) {
        cache.evictDataset(dataset);
    }

    private Connection open() throws SQLException {
        Properties props = new Properties();
        props.setProperty("autoinstall_known_extensions", "false");
        props.setProperty("autoload_known_extensions", "false");
        props.setProperty("allow_community_extensions", "false");
        props.setProperty("allow_unsigned_extensions", "false");
        Connection c = DriverManager.getConnection("jdbc:duckdb:", props);
        try (Statement s = c.createStatement()) {
            s.execute("SET memory_limit = " + DuckEngine.quote(memoryLimit));
            s.execute("SET threads = 1");
            s.execute("SET preserve_insertion_order = true");
            s.execute("SET temp_directory = " + DuckEngine.quote(workDir.toString()));
            s.execute("SET allowed_directories = [" + DuckEngine.quote(cache.dir() + "/") + ", "
                    + DuckEngine.quote(workDir + "/") + "]");
            s.execute("SET enable_external_access = false");
            s.execute("SET lock_configuration = true");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static void view(Connection c, String dataset, Path file) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP VIEW " + DuckEngine.ident(dataset) + " AS SELECT * FROM read_parquet("
                    + DuckEngine.quote(file.toString()) + ")");
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static ApiException failed(String dataset, FileEntry file, SQLException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        // a binder error (unknown column, wrong type) is the predicate's fault: say so, as SQL errors are 400s
        return new ApiException(400, "erasure predicate on dataset '" + dataset + "' (file " + file.key() + ") failed: "
                + msg, Map.of("code", ErrorCodes.ERASURE_PREDICATE, "dataset", dataset), e);
    }
}
