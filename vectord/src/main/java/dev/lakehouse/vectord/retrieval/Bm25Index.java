package dev.lakehouse.vectord.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.vectord.engine.VectorItem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Okapi BM25 ({@code k1 = 1.2, b = 0.75}) over the string values of the items' metadata (nested objects and
 * arrays included), built in memory from the live items. Our own ~150 lines rather than Lucene (ADR 0025):
 * the index is rebuilt from the items, needs no files, and one tokenizer rule is all a lakehouse user tunes.
 * Tokens: lower-cased runs of letters and digits ({@code c++}, {@code c#} keep their sign), minus a few
 * English stop words; no stemming.
 */
public final class Bm25Index {
    static final float K1 = 1.2f;
    static final float B = 0.75f;
    private static final Set<String> STOP = Set.of("a", "an", "and", "the", "of", "with", "in", "on", "for", "to",
            "at", "by", "or", "is", "are", "be", "as", "from", "who", "that", "this");

    private final VectorItem[] docs;
    private final int[] lengths;
    private final float avgLength;
    /** term → [doc, tf, doc, tf, ...] in doc order. */
    private final Map<String, int[]> postings;
    private final long memoryBytes;

    public Bm25Index(Collection<VectorItem> items) {
        docs = items.toArray(new VectorItem[0]);
        lengths = new int[docs.length];
        Map<String, int[]> grow = new HashMap<>();
        Map<String, Integer> used = new HashMap<>();
        long total = 0;
        for (int d = 0; d < docs.length; d++) {
            List<String> tokens = tokens(FilteredSearch.metadata(docs[d].metadataJson()));
            lengths[d] = tokens.size();
            total += tokens.size();
            Map<String, Integer> tf = new HashMap<>();
            for (String t : tokens) {
                tf.merge(t, 1, Integer::sum);
            }
            for (Map.Entry<String, Integer> e : tf.entrySet()) {
                int[] p = grow.get(e.getKey());
                int at = used.getOrDefault(e.getKey(), 0);
                if (p == null || at + 2 > p.length) {
                    p = p == null ? new int[4] : Arrays.copyOf(p, p.length * 2);
                    grow.put(e.getKey(), p);
                }
                p[at] = d;
                p[at + 1] = e.getValue();
                used.put(e.getKey(), at + 2);
            }
        }
        postings = new HashMap<>(grow.size() * 2);
        for (Map.Entry<String, int[]> e : grow.entrySet()) {
            postings.put(e.getKey(), Arrays.copyOf(e.getValue(), used.get(e.getKey())));
        }
        avgLength = docs.length == 0 ? 0 : (float) total / docs.length;
        long bytes = 12L * docs.length; // a reference and a length per doc
        for (Map.Entry<String, int[]> e : postings.entrySet()) {
            // map entry + String + int[] headers, the term's characters, 8 bytes per (doc, tf)
            bytes += 96 + 2L * e.getKey().length() + 4L * e.getValue().length;
        }
        memoryBytes = bytes;
    }

    /** Estimated heap of the postings and per-doc arrays (the items themselves are the vector index's). */
    public long memoryBytes() {
        return memoryBytes;
    }

    public int size() {
        return docs.length;
    }

    public record Scored(VectorItem item, float score) {}

    /** The k best-scoring accepted items (score > 0: at least one query term), best first. */
    public List<Scored> search(String query, int k, Predicate<VectorItem> accept) {
        float[] scores = new float[docs.length];
        List<Integer> touched = new ArrayList<>();
        for (String term : new LinkedHashSet<>(tokens(query))) {
            int[] p = postings.get(term);
            if (p == null) {
                continue;
            }
            int df = p.length / 2;
            double idf = Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
            for (int i = 0; i < p.length; i += 2) {
                int d = p[i];
                int tf = p[i + 1];
                if (scores[d] == 0) {
                    touched.add(d);
                }
                scores[d] += (float) (idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[d] / avgLength)));
            }
        }
        touched.sort((a, b) -> Float.compare(scores[b], scores[a]));
        List<Scored> out = new ArrayList<>(k);
        for (int d : touched) {
            if (out.size() == k) {
                break;
            }
            if (accept == null || accept.test(docs[d])) {
                out.add(new Scored(docs[d], scores[d]));
            }
        }
        return out;
    }

    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        String s = text.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length()) {
            if (!Character.isLetterOrDigit(s.charAt(i))) {
                i++;
                continue;
            }
            int j = i;
            while (j < s.length() && Character.isLetterOrDigit(s.charAt(j))) {
                j++;
            }
            while (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '#')) {
                j++;
            }
            String t = s.substring(i, j);
            if (!STOP.contains(t)) {
                out.add(t);
            }
            i = j;
        }
        return out;
    }

    private static List<String> tokens(JsonNode metadata) {
        List<String> out = new ArrayList<>();
        collect(metadata, out);
        return out;
    }

    private static void collect(JsonNode n, List<String> out) {
        if (n == null) {
            return;
        }
        if (n.isTextual()) {
            out.addAll(tokens(n.asText()));
        } else if (n.isContainerNode()) {
            for (JsonNode c : n) {
                collect(c, out);
            }
        }
    }
}
