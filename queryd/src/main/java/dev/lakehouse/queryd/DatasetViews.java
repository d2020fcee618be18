package dev.lakehouse.queryd;

import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.common.model.Manifest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the table names a query reads into dataset views: asks the catalog for each name's manifest (latest,
 * or the pinned version), pins the manifest's files in the local cache, and defines a connection-local
 * {@code TEMP VIEW} named after the dataset over those files. The catalog is asked on every query, so a new
 * version is visible at once and nothing stale is served; unchanged files are not fetched again.
 */
public final class DatasetViews {
    private static final Pattern TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_ ,()]{0,63}");

    private final CatalogClient catalog;
    private final ParquetCache cache;

    public DatasetViews(CatalogClient catalog, ParquetCache cache) {
        this.catalog = catalog;
        this.cache = cache;
    }

    /** What a query was answered from: dataset → manifest version. */
    public record Resolved(Map<String, Integer> versions, List<ParquetCache.Lease> leases, long catalogNanos)
            implements AutoCloseable {
        @Override
        public void close() {
            leases.forEach(ParquetCache.Lease::close);
        }
    }

    /**
     * Defines the views on {@code conn}. Names that are not datasets are left alone (a CTE, or a typo DuckDB will
     * report). A pinned version must name a dataset the query reads, and must exist (else 400 / 404).
     * {@code onlyVersion} ({@code ?version=N}) pins the one dataset the query reads.
     */
    public Resolved define(Connection conn, Set<String> tables, Map<String, Integer> pinned, Integer onlyVersion) {
        Map<String, Optional<Manifest>> latest = new LinkedHashMap<>();
        if (onlyVersion != null) {
            if (!pinned.isEmpty()) {
                throw new BadRequest("give either ?version= or \"versions\", not both");
            }
            tables.forEach(t -> latest.put(t, catalog.latest(t)));
            List<String> datasets = latest.entrySet().stream().filter(e -> e.getValue().isPresent())
                    .map(Map.Entry::getKey).toList();
            if (datasets.size() != 1) {
                throw new BadRequest("?version= needs a query over exactly one dataset (it reads " + datasets
                        + "); use {\"versions\": {\"dataset\": N}}");
            }
            pinned = Map.of(datasets.get(0), onlyVersion);
        }
        Set<String> unused = new TreeSet<>(pinned.keySet());
        unused.removeAll(tables);
        if (!unused.isEmpty()) {
            throw new BadRequest("versions names datasets the query does not read: " + unused);
        }
        Map<String, Integer> versions = new LinkedHashMap<>();
        List<ParquetCache.Lease> leases = new ArrayList<>();
        long catalogNanos = 0;
        try {
            for (String table : tables) {
                Integer v = pinned.get(table);
                if (v != null && v < 1) {
                    throw new BadRequest("version of " + table + " must be >= 1, got " + v);
                }
                long t0 = System.nanoTime();
                Optional<Manifest> manifest = v != null ? Optional.of(catalog.version(table, v))
                        : latest.containsKey(table) ? latest.get(table) : catalog.latest(table);
                catalogNanos += System.nanoTime() - t0;
                if (manifest.isEmpty()) {
                    continue;
                }
                Manifest m = manifest.get();
                ParquetCache.Lease lease = cache.acquire(m.files());
                leases.add(lease);
                createView(conn, table, m, lease.paths());
                versions.put(table, m.version());
            }
            return new Resolved(versions, leases, catalogNanos);
        } catch (RuntimeException e) {
            leases.forEach(ParquetCache.Lease::close);
            throw e;
        }
    }

    private static void createView(Connection conn, String name, Manifest m, List<Path> files) {
        String select;
        if (files.isEmpty()) {
            // no data yet: a typed, empty relation with the manifest's schema
            select = m.schema().isEmpty() ? "SELECT NULL AS empty LIMIT 0" : "SELECT " + m.schema().stream().map(DatasetViews::nullColumn).collect(Collectors.joining(", "))
                    + " LIMIT 0";
        } else {
            select = "SELECT * FROM read_parquet(["
                    + files.stream().map(p -> DuckEngine.quote(p.toString())).collect(Collectors.joining(", ")) + "])";
        }
        try (Statement s = conn.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP VIEW " + DuckEngine.ident(name) + " AS " + select);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot define view " + name + " v" + m.version() + ": " + e.getMessage(), e);
        }
    }

    private static String nullColumn(ColumnSpec c) {
        if (!TYPE.matcher(c.type()).matches()) {
            throw new IllegalStateException("catalog type of " + c.name() + " is not a DuckDB type name: " + c.type());
        }
        return "CAST(NULL AS " + c.type() + ") AS " + DuckEngine.ident(c.name());
    }
}
