package dev.lakehouse.vectord.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.vectord.engine.Distance;
import dev.lakehouse.vectord.engine.Kernels;
import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.engine.VectorItem;
import dev.lakehouse.vectord.filter.Filter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * Dense search restricted to the items a filter matches, with the true top-k among them (ADR 0025). The
 * planner estimates the filter's selectivity {@code s} on a random sample of {@link #SAMPLE} items (not a
 * stride: ids and tags often repeat with a period),
 * then picks the cheaper way that stays exact enough:
 * <ul>
 * <li><b>graph</b>: HNSW with the filter applied to candidates and the breadth widened to
 *     {@code ceil(max(k, ef) / s)}, so about {@code max(k, ef)} matching candidates are weighed;</li>
 * <li><b>exact</b>: a scan of every item, distances only for matches — when that widened breadth would reach
 *     a tenth of the index (the graph would visit much of it anyway), when it passes {@code maxEf}, or when
 *     the sample matched nothing. Also the fallback when the graph returns fewer than k hits.</li>
 * </ul>
 */
public final class FilteredSearch {
    public static final int SAMPLE = 1000;

    private FilteredSearch() {}

    /** How a filtered query was answered: {@code exact} or {@code graph}, the estimate, the breadth used. */
    public record Plan(String strategy, double selectivity, int ef) {}

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

    public static Result search(VectorIndex index, float[] query, int k, int ef, int maxEf, Filter filter) {
        Predicate<VectorItem> accept = predicate(filter);
        List<VectorItem> items = new ArrayList<>(index.items());
        int n = items.size();
        if (n == 0) {
            return new Result(List.of(), new Plan("exact", 0, 0));
        }
        int sampled = Math.min(n, SAMPLE);
        int matched = 0;
        java.util.SplittableRandom random = new java.util.SplittableRandom(n);
        for (int i = 0; i < sampled; i++) {
            if (accept.test(items.get(sampled == n ? i : random.nextInt(n)))) {
                matched++;
            }
        }
        double s = (double) matched / sampled;
        int breadth = Math.max(k, ef);
        long widened = matched == 0 ? Long.MAX_VALUE : (long) Math.ceil(breadth / s);
        if (widened <= maxEf && widened < n / 10) {
            List<VectorIndex.Hit> hits = index.search(query, k, (int) widened, accept);
            if (hits.size() >= k) {
                return new Result(hits, new Plan("graph", s, (int) widened));
            }
        }
        return new Result(exact(index, items, query, k, accept), new Plan("exact", s, 0));
    }

    /** The exact top-k among accepted items, closest first (the brute-force reference too). */
    public static List<VectorIndex.Hit> exact(VectorIndex index, List<VectorItem> items, float[] query, int k,
                                              Predicate<VectorItem> accept) {
        Distance metric = index.spec().distance();
        float[] q = query;
        if (metric.normalizes()) {
            q = query.clone();
            Kernels.normalize(q);
        }
        // max-heap on distance holding the k best so far
        PriorityQueue<VectorIndex.Hit> best = new PriorityQueue<>(k + 1, (a, b) -> Float.compare(b.distance(), a.distance()));
        for (VectorItem item : items) {
            if (!accept.test(item)) {
                continue;
            }
            float d = metric == Distance.L2 ? l2(q, item.vector()) : 1f - Kernels.fastDot(q, item.vector());
            if (best.size() < k || d < best.peek().distance()) {
                best.add(new VectorIndex.Hit(item.id(), metric.score(d), d, item.metadataJson()));
                if (best.size() > k) {
                    best.poll();
                }
            }
        }
        List<VectorIndex.Hit> hits = new ArrayList<>(best);
        hits.sort((a, b) -> Float.compare(a.distance(), b.distance()));
        return hits;
    }

    private static float l2(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return (float) Math.sqrt(sum);
    }
}
