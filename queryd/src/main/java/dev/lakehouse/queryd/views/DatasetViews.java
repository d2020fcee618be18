package dev.lakehouse.queryd.views;

import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.common.model.DatasetSummary;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.queryd.engine.DuckEngine;
import dev.lakehouse.queryd.engine.DuckSessions;
import dev.lakehouse.queryd.engine.Lru;
import dev.lakehouse.queryd.exec.QueryRunner;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the table names a query reads into dataset views: asks the catalog for each name's manifest (latest,
 * or the pinned version), pins the manifest's files in the local cache, and defines a connection-local
 * {@code TEMP VIEW} named after the dataset over those files. The catalog is asked on every query, so a new
 * version is visible at once and nothing stale is served; unchanged files are not fetched again, and a view the
 * session already holds with the same definition is kept (binding one reads the Parquet footers). Views of
 * names the query does not read are dropped first, so nothing the catalog did not vouch for in this query is
 * reachable from it, not even through {@code query_table('name')}.
 */
public final class DatasetViews {
    /** Names remembered with the catalog's last answer: datasets, and names it has no dataset for (CTEs). */
    private static final int REMEMBERED_NAMES = 4096;
    private static final Pattern TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_ ,()]{0,63}");

    private final CatalogClient catalog;
    private final ParquetCache cache;

    private final Map<String, Optional<Manifest>> lastSeen = Lru.map(REMEMBERED_NAMES);

    public DatasetViews(CatalogClient catalog, ParquetCache cache) {
        this.catalog = catalog;
        this.cache = cache;
    }

    /** What a query was answered from: dataset → manifest version. */
    public record Resolved(Map<String, Integer> versions, List<ParquetCache.Lease> leases, long catalogNanos,
            Set<String> missing) implements AutoCloseable {
        @Override
        public void close() {
            leases.forEach(ParquetCache.Lease::close);
        }

        /** The same, with more datasets the answer was computed from (schema-only views of pinned versions). */
        public Resolved withVersions(Map<String, Integer> more) {
            Map<String, Integer> all = new LinkedHashMap<>(versions);
            all.putAll(more);
            return new Resolved(all, leases, catalogNanos, missing);
        }
    }

    /**
     * Defines the views on the session, asking the catalog for every name. Names that are not datasets are left
     * alone (a CTE, or a typo DuckDB will report). A pinned version must name a dataset the query reads, and must
     * exist (else 400 / 404). {@code onlyVersion} ({@code ?version=N}) pins the one dataset the query reads.
     */
    public Resolved define(DuckSessions.Session session, Set<String> tables, Map<String, Integer> pinned,
            Integer onlyVersion) {
        Map<String, Optional<Manifest>> latest = new LinkedHashMap<>();
        if (onlyVersion != null) {
            if (!pinned.isEmpty()) {
                throw new BadRequest("give either ?version= or \"versions\", not both");
            }
            tables.forEach(t -> latest.put(t, latest(t)));
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
        Map<String, Integer> fixed = pinned;
        long[] catalogNanos = {0};
        return bind(session, tables, table -> {
            Integer v = fixed.get(table);
            if (v != null && v < 1) {
                throw new BadRequest("version of " + table + " must be >= 1, got " + v);
            }
            long t0 = System.nanoTime();
            Optional<Manifest> manifest = v != null ? Optional.of(catalog.version(table, v))
                    : latest.containsKey(table) ? latest.get(table) : latest(table);
            catalogNanos[0] += System.nanoTime() - t0;
            return manifest;
        }, catalogNanos);
    }

    /**
     * Defines the views from manifests already in hand (no catalog call): the catalog's latest answers
     * ({@link #remembered}, {@link #latest(Set)}) for every name the query reads.
     */
    public Resolved bind(DuckSessions.Session session, Map<String, Optional<Manifest>> manifests) {
        return bind(session, manifests.keySet(), manifests::get, new long[1]);
    }

    private Resolved bind(DuckSessions.Session session, Set<String> tables,
            Function<String, Optional<Manifest>> manifests, long[] catalogNanos) {
        Map<String, Integer> versions = new LinkedHashMap<>();
        List<ParquetCache.Lease> leases = new ArrayList<>();
        Set<String> missing = new TreeSet<>();
        try {
            for (String stale : List.copyOf(session.views.keySet())) {
                if (!tables.contains(stale)) {
                    dropView(session, stale);
                }
            }
            for (String table : tables) {
                Optional<Manifest> manifest = manifests.apply(table);
                if (manifest.isEmpty()) {
                    dropView(session, table); // deleted since: the name must not answer from an old view
                    cache.evictDataset(table); // nor its files linger in the cache
                    missing.add(table);
                    continue;
                }
                Manifest m = manifest.get();
                ParquetCache.Lease lease = cache.acquire(table, m.files());
                leases.add(lease);
                defineView(session, table, m, lease.paths());
                versions.put(table, m.version());
            }
            return new Resolved(versions, leases, catalogNanos[0], missing);
        } catch (RuntimeException e) {
            leases.forEach(ParquetCache.Lease::close);
            throw e;
        }
    }

    /** How many datasets a discovery query (SHOW TABLES, information_schema) lists at most. */
    static final int DISCOVERY_MAX_DATASETS = 1000;

    /**
     * For a discovery query: every dataset of the catalog that the query does not read as data ({@code skip})
     * becomes a view of its schema and no rows, so SHOW TABLES, DESCRIBE and information_schema list the
     * datasets, and no file is fetched for it. The schema is the latest version's, or the version {@code pinned}
     * names (404 when the catalog has no such version; a pinned dataset is listed even past the listing's cap).
     *
     * @return dataset → version, for the pinned ones
     */
    public Map<String, Integer> defineSchemas(DuckSessions.Session session, Set<String> skip, Map<String, Integer> pinned) {
        pinned.forEach((name, v) -> {
            if (v < 1) {
                throw new BadRequest("version of " + name + " must be >= 1, got " + v);
            }
        });
        Map<String, Integer> used = new LinkedHashMap<>();
        Set<String> names = new java.util.LinkedHashSet<>();
        catalog.list().stream().limit(DISCOVERY_MAX_DATASETS).forEach(d -> names.add(d.name()));
        names.addAll(pinned.keySet());
        for (String name : names) {
            if (skip.contains(name)) {
                continue;
            }
            Integer v = pinned.get(name);
            Optional<Manifest> m = v != null ? Optional.of(catalog.version(name, v)) : latest(name);
            if (m.isPresent()) {
                defineView(session, name, m.get(), List.of());
                if (v != null) {
                    used.put(name, m.get().version());
                }
            }
        }
        return used;
    }

    /**
     * The error for names a query reads that are no dataset: it names the datasets there are (the closest first),
     * not DuckDB's internal tables.
     */
    public BadRequest unknownDatasets(Set<String> names) {
        List<String> all;
        try {
            all = catalog.list().stream().map(d -> d.name()).sorted().toList();
        } catch (RuntimeException e) {
            all = List.of(); // the suggestion is a courtesy; the error stands without it
        }
        String first = names.iterator().next();
        List<String> closest = all.stream()
                .sorted(java.util.Comparator.comparingInt(d -> distance(first, d))).limit(3).toList();
        return new BadRequest("no dataset named " + String.join(", ", names)
                + (closest.isEmpty() ? "; there are no datasets yet" : "; did you mean " + String.join(" or ", closest) + "?"),
                Map.of("code", "unknown_dataset", "datasets", all.size() > 100 ? all.subList(0, 100) : all));
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            prev = cur;
        }
        return prev[b.length()];
    }

    /** The catalog's latest manifest of {@code dataset} (empty when it has none), remembered for next time. */
    private Optional<Manifest> latest(String dataset) {
        Optional<Manifest> m = catalog.latest(dataset);
        synchronized (lastSeen) {
            lastSeen.put(dataset, m);
        }
        return m;
    }

    /**
     * The catalog's last answers for all of {@code tables}, if it was asked about each before. Only a guess at
     * the current state: a query may run on it while {@link #latest(Set)} asks the catalog, and its answer may be
     * served only if the catalog's new answer is the same.
     */
    public Optional<Map<String, Optional<Manifest>>> remembered(Set<String> tables) {
        Map<String, Optional<Manifest>> known = new LinkedHashMap<>();
        synchronized (lastSeen) {
            for (String t : tables) {
                Optional<Manifest> m = lastSeen.get(t);
                if (m == null) {
                    return Optional.empty();
                }
                known.put(t, m);
            }
        }
        return Optional.of(known);
    }

    /**
     * Asks the catalog for the latest manifest of each name. QueryRunner calls it on the request's own thread while
     * the engine runs on the session's: no thread of its own is woken per query.
     */
    public Map<String, Optional<Manifest>> latest(Set<String> tables) {
        Map<String, Optional<Manifest>> fresh = new LinkedHashMap<>();
        tables.forEach(t -> fresh.put(t, latest(t)));
        return fresh;
    }

    private static void defineView(DuckSessions.Session session, String name, Manifest m, List<Path> files) {
        String select;
        if (files.isEmpty()) {
            // no data yet: a typed, empty relation with the manifest's schema
            select = m.schema().isEmpty() ? "SELECT NULL AS empty LIMIT 0" : "SELECT " + m.schema().stream().map(DatasetViews::nullColumn).collect(Collectors.joining(", "))
                    + " LIMIT 0";
        } else {
            select = "SELECT * FROM read_parquet(["
                    + files.stream().map(p -> DuckEngine.quote(p.toString())).collect(Collectors.joining(", ")) + "])";
        }
        if (select.equals(session.views.get(name))) {
            return; // same files (cache paths are content-addressed by key and ETag), same view
        }
        session.views.remove(name); // unknown until the statement succeeds
        session.forgetPlans(); // planned on the old definition
        try (Statement s = session.conn.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP VIEW " + DuckEngine.ident(name) + " AS " + select);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot define view " + name + " v" + m.version() + ": " + e.getMessage(), e);
        }
        session.views.put(name, select);
    }

    private static void dropView(DuckSessions.Session session, String name) {
        if (session.views.remove(name) == null) {
            return;
        }
        session.forgetPlans();
        try (Statement s = session.conn.createStatement()) {
            s.execute("DROP VIEW IF EXISTS " + DuckEngine.ident(name));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop view " + name + ": " + e.getMessage(), e);
        }
    }

    private static String nullColumn(ColumnSpec c) {
        if (!TYPE.matcher(c.type()).matches()) {
            throw new IllegalStateException("catalog type of " + c.name() + " is not a DuckDB type name: " + c.type());
        }
        return "CAST(NULL AS " + c.type() + ") AS " + DuckEngine.ident(c.name());
    }
}
