package dev.lakehouse.vectord;

import dev.lakehouse.common.routes.Routes;
import dev.lakehouse.vectord.store.IndexRegistry;
import dev.lakehouse.vectord.store.ManagedIndex;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.javalin.config.RoutesConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * One series per vector index, tagged {@code index}, read from the {@link IndexRegistry}'s slots at each scrape
 * (the same figures {@code GET /index/{name}} shows; nothing in the engine counts twice). Cardinality is bounded:
 * the first {@code maxIndexes} index names in name order get their own series, the rest are added up under
 * {@code index="_other"}. Series of a deleted index go with it.
 */
final class IndexMeters {
    static final String OTHER = "_other";
    private static final String STARTED = "vectord.search.started";
    /** Search latency buckets: a dozen per index rather than a full histogram's seventy. */
    private static final Duration[] SEARCH_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5)};

    /** What one tag's series show, taken once per scrape. */
    record Row(double items, double tombstones, double memoryBytes, double walLagRecords, double walRecords,
            double walBytes, double lastSnapshotSeconds, double lastSnapshotBytes, double snapshotAgeSeconds) {
        static final Row ZERO = new Row(0, 0, 0, 0, 0, 0, 0, 0, 0);

        Row plus(Row o) {
            return new Row(items + o.items, tombstones + o.tombstones, memoryBytes + o.memoryBytes,
                    walLagRecords + o.walLagRecords, walRecords + o.walRecords, walBytes + o.walBytes,
                    Math.max(lastSnapshotSeconds, o.lastSnapshotSeconds), lastSnapshotBytes + o.lastSnapshotBytes,
                    Math.max(snapshotAgeSeconds, o.snapshotAgeSeconds));
        }
    }

    private record Series(String name, String help, ToDoubleFunction<Row> value) {}

    private static final List<Series> SERIES = List.of(
            new Series("vectord_index_items", "searchable items", Row::items),
            new Series("vectord_index_tombstones", "deleted or replaced items not yet compacted away", Row::tombstones),
            new Series("vectord_index_memory_bytes", "estimated heap of the index", Row::memoryBytes),
            new Series("vectord_index_wal_lag_records", "WAL sequences applied but not yet covered by a snapshot", Row::walLagRecords),
            new Series("vectord_index_wal_records", "WAL records written since the last snapshot", Row::walRecords),
            new Series("vectord_index_wal_bytes", "WAL bytes written since the last snapshot", Row::walBytes),
            new Series("vectord_index_last_snapshot_duration_seconds", "how long the last snapshot took (write + PUT)",
                    Row::lastSnapshotSeconds),
            new Series("vectord_index_last_snapshot_bytes", "size of the last snapshot", Row::lastSnapshotBytes),
            new Series("vectord_index_snapshot_age_seconds", "time since the last snapshot (0: none yet)", Row::snapshotAgeSeconds));

    private final IndexRegistry registry;
    private final MeterRegistry meters;
    private final int maxIndexes;
    private volatile Map<String, Row> rows = Map.of();
    private volatile Set<String> tagged = Set.of();
    private final Map<String, List<Meter>> registered = new HashMap<>();
    private final Map<String, Timer> searchTimers = new HashMap<>();

    IndexMeters(IndexRegistry registry, MeterRegistry meters, int maxIndexes) {
        this.registry = registry;
        this.meters = meters;
        this.maxIndexes = maxIndexes;
    }

    /** The tag an index's series carry: its name, or {@link #OTHER} past the first {@code maxIndexes}. */
    String tag(String index) {
        return tagged.contains(index) ? index : OTHER;
    }

    /** Takes the rows from the registry, then registers the series of new tags and removes those of gone ones. */
    synchronized void refresh() {
        Map<String, Row> next = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        Instant now = Instant.now();
        for (ManagedIndex m : registry.all()) { // sorted by name
            if (m.index() == null) {
                continue; // a failed index: vectord_indexes and /health name it
            }
            names.add(m.name());
            String tag = names.size() <= maxIndexes ? m.name() : OTHER;
            next.merge(tag, row(m, now), Row::plus);
        }
        tagged = Set.copyOf(names.subList(0, Math.min(names.size(), maxIndexes)));
        rows = next;
        for (String tag : next.keySet()) {
            registered.computeIfAbsent(tag, this::register);
        }
        for (String tag : List.copyOf(registered.keySet())) {
            if (!next.containsKey(tag)) {
                registered.remove(tag).forEach(meters::remove);
                Timer t = searchTimers.remove(tag);
                if (t != null) {
                    meters.remove(t);
                }
            }
        }
    }

    private static Row row(ManagedIndex m, Instant now) {
        Instant saved = m.lastSavedAt();
        return new Row(m.index().size(), m.index().tombstones(), m.index().memoryBytes(),
                Math.max(0, m.walSeq() - m.snapshotSeq()), m.walRecordsSinceSnapshot(), m.walBytesSinceSnapshot(),
                m.lastSaveMs() / 1000.0, m.lastSaveBytes(),
                saved == null ? 0 : Duration.between(saved, now).toMillis() / 1000.0);
    }

    private List<Meter> register(String tag) {
        List<Meter> out = new ArrayList<>();
        for (Series s : SERIES) {
            out.add(Gauge.builder(s.name(), this, me -> s.value().applyAsDouble(me.rows.getOrDefault(tag, Row.ZERO)))
                    .description(s.help()).tag("index", tag).register(meters));
        }
        return out;
    }

    /** Records one answered search of {@code index}. */
    synchronized void searched(String index, long nanos) {
        if (!tagged.contains(index) && tagged.size() < maxIndexes) {
            refresh(); // an index created since the last scrape
        }
        String tag = tag(index);
        searchTimers.computeIfAbsent(tag, t -> Timer.builder("vectord_index_search")
                .description("searches answered, by index").tag("index", t)
                .serviceLevelObjectives(SEARCH_BUCKETS).register(meters))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Times each successful search of {@code /index/{name}/search} per index (errors are in http_server_requests). */
    void timeSearches(RoutesConfig r) {
        r.before(Routes.Vectors.SEARCH, ctx -> ctx.attribute(STARTED, System.nanoTime()));
        r.after(Routes.Vectors.SEARCH, ctx -> {
            Long t0 = ctx.attribute(STARTED);
            if (t0 != null && ctx.statusCode() == 200) {
                searched(ctx.pathParam("name"), System.nanoTime() - t0);
            }
        });
    }
}
