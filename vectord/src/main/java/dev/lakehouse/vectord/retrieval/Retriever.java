package dev.lakehouse.vectord.retrieval;

import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.filter.Filter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One search in any {@link Mode}, optionally filtered. Hybrid is reciprocal-rank fusion (Cormack et al.,
 * {@code score = Σ 1/(60 + rank)} over the dense and the keyword lists, each {@code max(k, ef)} deep):
 * it needs no score calibration between cosine similarities and BM25 scores, which have unrelated scales.
 */
public final class Retriever {
    public static final int RRF_K = 60;

    public enum Mode {
        DENSE, KEYWORD, HYBRID;

        public static Mode parse(String s) {
            if (s == null) {
                return DENSE;
            }
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A hit; {@code distance} is null when the dense search did not rank the item (keyword-only). */
    public record Hit(String id, float score, Float distance, String metadataJson) {}

    public record Result(List<Hit> hits, FilteredSearch.Plan plan) {}

    private final KeywordIndexes keywords = new KeywordIndexes();
    private final FilteredSearch filtered = new FilteredSearch();

    /**
     * Estimated heap of what search keeps beside the vector indexes: keyword indexes, payload indexes and parsed
     * metadata. Memory admission counts it (ADR 0036), so a budget holds with keyword and filtered search in use.
     */
    public long memoryBytes() {
        return keywords.memoryBytes() + filtered.memoryBytes();
    }

    /** Forgets what was built for a deleted index. */
    public void drop(String name) {
        keywords.drop(name);
        filtered.drop(name);
    }

    /**
     * @param query the query vector (dense and hybrid), or null for keyword
     * @param text  the query text (keyword and hybrid)
     */
    public Result search(VectorIndex index, Mode mode, float[] query, String text, int k, int ef, Filter filter) {
        FilteredSearch.Plan plan = null;
        List<VectorIndex.Hit> dense = List.of();
        int depth = mode == Mode.HYBRID ? Math.max(k, ef) : k;
        if (mode != Mode.KEYWORD) {
            if (filter == null) {
                dense = index.search(query, depth, ef);
            } else {
                FilteredSearch.Result r = filtered.search(index, query, depth, ef, filter);
                dense = r.hits();
                plan = r.plan();
            }
            if (mode == Mode.DENSE) {
                return new Result(dense.stream().map(h -> new Hit(h.id(), h.score(), h.distance(), h.metadataJson())).toList(), plan);
            }
        }
        List<Bm25Index.Scored> sparse = keywords.of(index).search(text, depth,
                filter == null ? null : FilteredSearch.predicate(filter));
        if (mode == Mode.KEYWORD) {
            return new Result(sparse.stream().map(s -> new Hit(s.item().id(), s.score(), null, s.item().metadataJson())).toList(), null);
        }
        Map<String, Float> fused = new HashMap<>();
        Map<String, Hit> seen = new LinkedHashMap<>();
        for (int r = 0; r < dense.size(); r++) {
            VectorIndex.Hit h = dense.get(r);
            fused.merge(h.id(), 1f / (RRF_K + r + 1), Float::sum);
            seen.put(h.id(), new Hit(h.id(), 0, h.distance(), h.metadataJson()));
        }
        for (int r = 0; r < sparse.size(); r++) {
            Bm25Index.Scored s = sparse.get(r);
            fused.merge(s.item().id(), 1f / (RRF_K + r + 1), Float::sum);
            seen.putIfAbsent(s.item().id(), new Hit(s.item().id(), 0, null, s.item().metadataJson()));
        }
        List<Hit> out = new ArrayList<>(seen.size());
        for (Hit h : seen.values()) {
            out.add(new Hit(h.id(), fused.get(h.id()), h.distance(), h.metadataJson()));
        }
        out.sort((a, b) -> Float.compare(b.score(), a.score()));
        return new Result(out.subList(0, Math.min(k, out.size())), plan);
    }
}
