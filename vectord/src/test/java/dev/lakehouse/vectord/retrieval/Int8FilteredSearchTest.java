package dev.lakehouse.vectord.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.vectord.TestVectors;
import dev.lakehouse.vectord.engine.Distance;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.Quantization;
import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.engine.VectorItem;
import dev.lakehouse.vectord.filter.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Payload indexes on an int8 index: its graph walk hands the filter a fresh item per node (floats read from the
 * off-heap cache) and the payload index keeps its items without floats, so both the walk and the exact scan over
 * the matches must find items by id.
 */
class Int8FilteredSearchTest {
    static final int N = 3000;
    static final FilteredSearch PLANNER = new FilteredSearch();
    static VectorIndex index;
    static float[][] data;

    @BeforeAll
    static void build() {
        data = TestVectors.clustered(N, 32, 20, 9);
        index = VectorIndex.create(new IndexSpec("q", 32, Distance.COSINE, 16, 100, 64, Quantization.INT8), N);
        List<VectorItem> items = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            String tag = i % 2 == 0 ? "even" : "odd";
            items.add(new VectorItem("i" + i, data[i].clone(), "{\"tag\":\"" + tag + "\",\"rare\":" + (i % 300 == 0) + "}"));
        }
        index.addAll(items);
    }

    @Test
    void aCommonFilterOnAnInt8IndexIsAnsweredByTheGraphWalkWithTheTrueTopTenAmongMatches() {
        Filter f = FilteredSearchPlannerTest.filter("{\"eq\":{\"tag\":\"even\"}}");
        double recall = 0;
        for (int q = 0; q < 20; q++) {
            float[] query = data[(q * 131) % N];
            // ef 10: half of 3,000 items matching is past the planner's scan crossover (c > 80 · max(k, ef))
            FilteredSearch.Result r = PLANNER.search(index, query, 10, 10, f);
            assertEquals("graph", r.plan().strategy(), "the walk finds matches on an int8 index too");
            Set<String> truth = FilteredSearchPlannerTest.ids(index.exactSearch(query, 10, FilteredSearch.predicate(f)));
            Set<String> got = FilteredSearchPlannerTest.ids(r.hits());
            got.retainAll(truth);
            recall += got.size() / 10.0;
        }
        assertTrue(recall / 20 >= 0.9, "recall@10 " + recall / 20);
    }

    @Test
    void aRareFilterOnAnInt8IndexScansTheMatchesOnTheirFloatVectors() {
        Filter f = FilteredSearchPlannerTest.filter("{\"eq\":{\"rare\":true}}");
        float[] query = data[600];
        FilteredSearch.Result r = PLANNER.search(index, query, 5, 64, f);
        assertEquals("exact", r.plan().strategy());
        List<VectorIndex.Hit> truth = index.exactSearch(query, 5, FilteredSearch.predicate(f));
        assertEquals(truth.stream().map(VectorIndex.Hit::id).toList(), r.hits().stream().map(VectorIndex.Hit::id).toList());
        assertEquals("i600", r.hits().get(0).id());
        assertEquals(truth.get(0).distance(), r.hits().get(0).distance(), 1e-6);
    }
}
