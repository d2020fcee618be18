package dev.lakehouse.vectord.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.engine.VectorItem;
import dev.lakehouse.vectord.filter.Filter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Dense search restricted to the items a filter matches, with the true top-k among them (ADR 0025). The
 * planner estimates the filter's selectivity {@code s} on a random sample of {@link #SAMPLE} items (not a
 * stride: ids and tags often repeat with a period),
 * then picks the cheaper way that stays exact enough:
 * <ul>
 * <li><b>graph</b>: the HNSW walk with the filter inside it: with a payload index the ACORN walk on the
 *     matches' node ids ({@link VectorIndex#searchNodes}: distances for matches only, reached through rejected
 *     nodes two hops at a time), else {@link VectorIndex#search(float[], int, int, Predicate)} (rejected nodes
 *     are walked through, never returned, until it holds {@code max(k, ef)} matches: about
 *     {@code max(k, ef) / s} nodes);</li>
 * <li><b>exact</b>: a scan, distances only for matches — with a payload index when the matches are at most
 *     {@link #CROSSOVER} times the breadth or under {@link #MIN_WALK_SELECTIVITY}; without, when the walk would
 *     reach a tenth of the index or the sample matched nothing. Also the fallback when the graph returns
 *     fewer than k hits (the matches are cut off from the graph's entry).</li>
 * </ul>
 */
public final class FilteredSearch {
    public static final int SAMPLE = 1000;
    /** A sample is reused until the index is swapped, its size moves by a tenth, or it is this old and changed. */
    static final long SAMPLE_MAX_AGE_NANOS = 5_000_000_000L;

    /**
     * What the planner keeps per index: the sample, and every item's metadata parsed (JSON parsing per visited
     * node was most of a filtered query's cost). Items added since are parsed when tested.
     */
    private record Sample(VectorIndex of, long changes, int size, long takenNanos, List<VectorItem> items,
                          Map<VectorItem, JsonNode> parsed, long chars, Map<Filter, Double> selectivity) {}

    /** At most this many filters' estimates are remembered per sample (a dashboard repeats its filters). */
    static final int MAX_ESTIMATES = 256;

    private final Map<String, Sample> samples = new ConcurrentHashMap<>();

    /**
     * How a filtered query was answered: {@code exact} or {@code graph}, the selectivity (exact when
     * {@code indexed}: counted by the payload index; else estimated on a sample), the breadth used.
     */
    public record Plan(String strategy, double selectivity, int ef, boolean indexed) {}

    /**
     * Which way to answer: the planner's choice, or one forced (the bench measures each to set the rule, and
     * {@code SAMPLED}, the plan without payload indexes, as the reference).
     */
    public enum Strategy { PLANNED, EXACT, GRAPH, SAMPLED }

    /**
     * The crossover of the indexed plan (ADR 0036): scan the {@code c} matches exactly when
     * {@code c <= CROSSOVER * max(k, ef)}, walk the graph otherwise. The ACORN walk computes distances for
     * accepted nodes only, about two unfiltered searches' worth whatever the selectivity (10-50 %), so its
     * cost follows the breadth, not {@code 1/s}; the scan costs one distance per match. Measured in
     * {@code just bench hybrid} (thread CPU time): the scan's ratio is 1.00x at 5 % and 0.46x at 10 %, linear
     * in {@code c}, the narrow walk's 0.58x at 10 %: they tie at ~4,300 matches at breadth 64.
     */
    static final int CROSSOVER = 64;
    /**
     * At or under this selectivity the ACORN walk runs at {@link #NARROW_BREADTH_EIGHTHS}/8 of the breadth: its
     * full two-hop lists keep recall@10 at 0.97 at breadth 64, which 7/8 lowers to 0.965 for ~10 % more QPS
     * (bench hybrid, 10 and 20 %). A broad filter's shorter lists ({@code BROAD_SHARE} in the fork) leave no
     * such margin: 0.960 at 50 %, 0.952 at 7/8.
     */
    static final double NARROW = 0.25;
    static final int NARROW_BREADTH_EIGHTHS = 7;
    /**
     * Below this selectivity the scan is used whatever the count: two hops no longer connect the matches
     * (recall@10 0.66 at 1 % in {@code AcornWalkTest}, 1.0 at 5 %), e.g. a 0.5 % filter on a 10M-item index.
     */
    static final double MIN_WALK_SELECTIVITY = 0.05;

    private final Map<String, PayloadIndex> payloads = new ConcurrentHashMap<>();

    public record Result(List<VectorIndex.Hit> hits, Plan plan) {}

    /** The filter as a predicate on stored items (metadata parsed per test; no metadata matches like {}). */
    public static Predicate<VectorItem> predicate(Filter filter) {
        return item -> filter.test(metadata(item.metadataJson()));
    }

    static JsonNode metadata(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Json.TOLERANT.readTree(json);
        } catch (IOException e) {
            return null; // stored metadata was validated JSON on add; unreadable means "no fields"
        }
    }

    /** Up to {@link #SAMPLE} live items drawn at random (copying the item list per query would cost more than the walk). */
    private Sample sample(VectorIndex index) {
        Sample s = samples.get(index.name());
        int size = index.size();
        long now = System.nanoTime();
        if (s != null && s.of == index && Math.abs(s.size - size) <= size / 10
                && (s.changes == index.changes() || now - s.takenNanos < SAMPLE_MAX_AGE_NANOS)) {
            return s;
        }
        long changes = index.changes();
        List<VectorItem> all = new ArrayList<>(index.items());
        List<VectorItem> picked = new ArrayList<>(Math.min(SAMPLE, all.size()));
        if (all.size() <= SAMPLE) {
            picked.addAll(all);
        } else {
            SplittableRandom random = new SplittableRandom(all.size());
            for (int i = 0; i < SAMPLE; i++) {
                picked.add(all.get(random.nextInt(all.size())));
            }
        }
        // identity: a replaced item is a new object, so its old parse is never used for it
        Map<VectorItem, JsonNode> parsed = new IdentityHashMap<>(all.size() * 2);
        long chars = 0;
        for (VectorItem item : all) {
            parsed.put(item, metadata(item.metadataJson()));
            chars += item.metadataJson() == null ? 0 : item.metadataJson().length();
        }
        Sample fresh = new Sample(index, changes, all.size(), now, picked, parsed, chars, new ConcurrentHashMap<>());
        samples.put(index.name(), fresh);
        return fresh;
    }

    /** Forgets a deleted index. */
    public void drop(String name) {
        samples.remove(name);
        PayloadIndex p = payloads.remove(name);
        if (p != null) {
            p.close();
        }
    }

    /** The payload index of this graph instance, built (or rebuilt when worn) on first use. */
    private PayloadIndex payload(VectorIndex index) {
        PayloadIndex p = payloads.get(index.name());
        if (p != null && p.of() == index && !p.worn()) {
            return p;
        }
        synchronized (this) {
            p = payloads.get(index.name());
            if (p != null && p.of() == index && !p.worn()) {
                return p;
            }
            if (p != null) {
                p.close();
            }
            PayloadIndex fresh = PayloadIndex.build(index);
            payloads.put(index.name(), fresh);
            samples.remove(index.name()); // its parsed copy is only needed again by a filter the index cannot answer
            return fresh;
        }
    }

    /**
     * Estimated heap of what the planner keeps beside the indexes: payload indexes, and the parsed metadata of
     * a fallback sample (~8 bytes of tree per character of JSON; a rough figure, ADR 0036).
     */
    public long memoryBytes() {
        long b = 0;
        for (PayloadIndex p : payloads.values()) {
            b += p.memoryBytes();
        }
        for (Sample s : samples.values()) {
            b += 48L * s.parsed.size() + 8L * s.chars;
        }
        return b;
    }

    public Result search(VectorIndex index, float[] query, int k, int ef, Filter filter) {
        return search(index, query, k, ef, filter, Strategy.PLANNED);
    }

    public Result search(VectorIndex index, float[] query, int k, int ef, Filter filter, Strategy strategy) {
        int n = index.size();
        if (n == 0) {
            return new Result(List.of(), new Plan("exact", 0, 0, true));
        }
        PayloadIndex.Match m = strategy == Strategy.SAMPLED ? null : payload(index).match(filter);
        if (m == null) {
            return sampled(index, query, k, ef, filter);
        }
        double s = (double) m.cardinality / n;
        int breadth = Math.max(k, ef);
        boolean exact = strategy == Strategy.PLANNED
                ? m.cardinality <= (long) CROSSOVER * breadth || s < MIN_WALK_SELECTIVITY
                : strategy == Strategy.EXACT;
        if (!exact && m.cardinality > 0) {
            int walk = s <= NARROW ? Math.max(k, breadth * NARROW_BREADTH_EIGHTHS / 8) : breadth;
            List<VectorIndex.Hit> hits = index.searchNodes(query, k, walk, m.nodes()::get);
            if (hits.size() >= Math.min(k, m.cardinality)) {
                return new Result(hits, new Plan("graph", s, walk, true));
            }
        }
        return new Result(index.exactSearchNodes(query, k, m.nodes(), m::items), new Plan("exact", s, 0, true));
    }

    /** The plan without a payload index (a filter on a field it left out): selectivity estimated on a sample. */
    private Result sampled(VectorIndex index, float[] query, int k, int ef, Filter filter) {
        int n = index.size();
        Sample view = sample(index);
        Map<VectorItem, JsonNode> parsed = view.parsed;
        Predicate<VectorItem> accept = item -> {
            JsonNode m = parsed.get(item);
            return filter.test(m != null || parsed.containsKey(item) ? m : metadata(item.metadataJson()));
        };
        List<VectorItem> sample = view.items;
        if (n == 0 || sample.isEmpty()) {
            return new Result(List.of(), new Plan("exact", 0, 0, false));
        }
        Double known = view.selectivity.get(filter); // filters are records: equal trees, one estimate
        double s;
        if (known != null) {
            s = known;
        } else {
            int matched = 0;
            for (VectorItem item : sample) {
                if (accept.test(item)) {
                    matched++;
                }
            }
            s = (double) matched / sample.size();
            if (view.selectivity.size() < MAX_ESTIMATES) {
                view.selectivity.put(filter, s);
            }
        }
        int breadth = Math.max(k, ef);
        long walk = s == 0 ? Long.MAX_VALUE : (long) Math.ceil(breadth / s);
        if (walk < n / 10) {
            List<VectorIndex.Hit> hits = index.search(query, k, ef, accept);
            if (hits.size() >= k) {
                return new Result(hits, new Plan("graph", s, breadth, false));
            }
        }
        return new Result(index.exactSearch(query, k, accept), new Plan("exact", s, 0, false));
    }
}
