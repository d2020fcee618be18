package dev.lakehouse.vectord.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.vectord.TestVectors;
import dev.lakehouse.vectord.engine.Distance;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.Quantization;
import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.engine.VectorItem;
import dev.lakehouse.vectord.filter.Filter;
import dev.lakehouse.vectord.filter.FilterParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Payload indexes answer a filter with exactly the items that per-item evaluation matches, as the items change. */
class PayloadIndexTest {
    static final int N = 1100;
    static final float[][] DATA = TestVectors.clustered(N + 200, 16, 8, 3);

    static final List<String> FILTERS = List.of(
            "city = 'Austin'",
            "city IN ('Austin', 'Boston') AND rate < 80",
            "rate >= 50 AND rate <= 60",
            "rate > 99.5",
            "rate = 42",
            "NOT city = 'Austin'",
            "remote = true OR rate < 10",
            "skills = 'kafka'",
            "since >= '2021-06-01' AND since < '2022-01-01'",
            "addr.zip = '78701'",
            "addr IS NOT NULL",
            "nickname IS NULL",
            "colour = 'red'",
            "NOT (city = 'Austin' OR rate >= 30)");

    static String meta(int i, int variant) {
        String[] cities = {"Austin", "Boston", "Chicago", "Denver", "El Paso"};
        StringBuilder m = new StringBuilder("{");
        m.append("\"city\":\"").append(cities[(i + variant) % cities.length]).append('"');
        m.append(",\"rate\":").append((i * 7 + variant) % 100 + (i % 2 == 0 ? ".5" : ""));
        m.append(",\"remote\":").append((i + variant) % 3 == 0);
        m.append(",\"skills\":[\"java\"").append(i % 4 == variant % 4 ? ",\"kafka\"" : "").append(']');
        m.append(",\"since\":\"").append(2020 + i % 4).append('-').append(String.format("%02d", 1 + i % 12)).append("-15\"");
        if (i % 5 == 0) {
            m.append(",\"addr\":{\"zip\":\"").append(78700 + i % 3).append("\"}");
        }
        if (i % 7 == 0) {
            m.append(",\"nickname\":null");
        } else if (i % 11 == 0) {
            m.append(",\"nickname\":\"n").append(i).append('"');
        }
        return m.append('}').toString();
    }

    static VectorIndex index() {
        VectorIndex index = VectorIndex.create(new IndexSpec("p", 16, Distance.COSINE, 8, 32, 64), N);
        List<VectorItem> items = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            items.add(new VectorItem("i" + i, DATA[i].clone(), meta(i, 0)));
        }
        index.addAll(items);
        return index;
    }

    static Filter parse(String text) {
        return FilterParser.parse(com.fasterxml.jackson.databind.node.TextNode.valueOf(text));
    }

    static Set<String> evaluated(VectorIndex index, Filter f) {
        Set<String> ids = new TreeSet<>();
        for (VectorItem it : index.items()) {
            if (f.test(FilteredSearch.metadata(it.metadataJson()))) {
                ids.add(it.id());
            }
        }
        return ids;
    }

    static Set<String> indexed(PayloadIndex p, Filter f) {
        PayloadIndex.Match m = p.match(f);
        assertNotNull(m, "the payload index cannot answer " + f);
        Set<String> ids = new TreeSet<>();
        m.items().forEach(it -> ids.add(it.id()));
        assertEquals(ids.size(), m.cardinality, "cardinality of " + f);
        java.util.BitSet nodes = new java.util.BitSet(); // what the ACORN walk and the exact scan test
        ids.forEach(id -> nodes.set(p.of().nodeId(id)));
        assertEquals(nodes, m.nodes(), "graph nodes of " + f);
        return ids;
    }

    static void assertSameMatches(VectorIndex index, PayloadIndex p, String when) {
        for (String text : FILTERS) {
            Filter f = parse(text);
            assertEquals(evaluated(index, f), indexed(p, f), when + ": " + text);
        }
    }

    @Test
    void everyFilterKindMatchesExactlyTheItemsPerItemEvaluationMatches() {
        VectorIndex index = index();
        PayloadIndex p = PayloadIndex.build(index);
        assertSameMatches(index, p, "built");
        assertTrue(indexed(p, parse("colour = 'red'")).isEmpty(), "a field no item has matches nothing");
    }

    @Test
    void anInt8VectorReplacedWithTheSameMetadataMovesItsMatchToTheNewGraphNode() {
        // an int8 index's kept items hold no floats (retainable), so the replacement equals the old item
        VectorIndex index = VectorIndex.create(new IndexSpec("q", 16, Distance.COSINE, 8, 32, 64, Quantization.INT8), N);
        List<VectorItem> items = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            items.add(new VectorItem("i" + i, DATA[i].clone(), meta(i, 0)));
        }
        index.addAll(items);
        PayloadIndex p = PayloadIndex.build(index);
        assertSameMatches(index, p, "before writes");
        List<VectorItem> moved = new ArrayList<>();
        for (int i = 0; i < N; i += 7) { // a new vector, the same metadata: a new graph node for the same item
            moved.add(new VectorItem("i" + i, DATA[N + (i % 200)].clone(), meta(i, 0)));
        }
        index.addAll(moved);
        assertSameMatches(index, p, "after vectors were replaced"); // indexed() checks each match's graph node
    }

    @Test
    void addsReplacesAndDeletesAfterTheBuildAreFollowed() {
        VectorIndex index = index();
        PayloadIndex p = PayloadIndex.build(index);
        assertSameMatches(index, p, "before writes"); // caches each filter's match: the writes must drop them
        List<VectorItem> changed = new ArrayList<>();
        for (int i = 0; i < N; i += 3) { // replaced with other values
            changed.add(new VectorItem("i" + i, DATA[i].clone(), meta(i, 1)));
        }
        for (int i = N; i < N + 200; i++) { // new
            changed.add(new VectorItem("i" + i, DATA[i].clone(), meta(i, 2)));
        }
        index.addAll(changed);
        for (int i = 1; i < N; i += 10) {
            index.remove("i" + i);
        }
        assertSameMatches(index, p, "after writes");
        // numbers added after the build sit in the unsorted tail; a rebuild sorts them in
        assertTrue(p.worn(), "a third of the items replaced is worth a rebuild");
        p.close();
        assertSameMatches(index, PayloadIndex.build(index), "rebuilt");
    }

    @Test
    void aFreeTextFieldIsNotIndexedAsKeywordsAndItsFiltersFallBackToPerItemEvaluation() {
        VectorIndex index = VectorIndex.create(new IndexSpec("t", 16, Distance.COSINE, 8, 32, 64), N);
        List<VectorItem> items = new ArrayList<>();
        for (int i = 0; i < N; i++) { // a distinct summary per item: past max(1024, n / 4) distinct values
            items.add(new VectorItem("i" + i, DATA[i].clone(), "{\"summary\":\"text " + i + "\",\"n\":" + i + "}"));
        }
        index.addAll(items);
        PayloadIndex p = PayloadIndex.build(index);
        assertNull(p.match(parse("summary = 'text 5'")));
        assertEquals(Set.of("i5"), indexed(p, parse("n = 5")), "the number field stays indexed");
        FilteredSearch.Result r = new FilteredSearch().search(index, DATA[5], 3, 64, parse("summary = 'text 5'"));
        assertEquals(List.of("i5"), r.hits().stream().map(VectorIndex.Hit::id).toList());
        assertEquals(false, r.plan().indexed());
    }
}
