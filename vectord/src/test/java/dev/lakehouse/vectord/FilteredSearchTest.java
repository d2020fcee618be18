package dev.lakehouse.vectord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.vectord.engine.Distance;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.engine.VectorItem;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Search with a predicate on items, filtered inside the HNSW walk (the planner of hybrid search builds on it). */
class FilteredSearchTest {
    static final int N = 3000;
    static final int DIM = 32;
    static VectorIndex idx;
    static float[][] queries;

    @BeforeAll
    static void build() {
        idx = VectorIndex.create(new IndexSpec("f", DIM, Distance.COSINE, 16, 100, 64));
        idx.addAll(VectorIndexTest.items(TestVectors.clustered(N, DIM, 30, 1), "v"));
        queries = TestVectors.clustered(40, DIM, 30, 2);
    }

    static int n(VectorItem item) {
        return Integer.parseInt(item.id().substring(1));
    }

    static Set<String> ids(List<VectorIndex.Hit> hits) {
        Set<String> s = new HashSet<>();
        hits.forEach(h -> s.add(h.id()));
        return s;
    }

    @Test
    void aFilteredSearchRecallsTheExactTopKAmongAcceptedItems() {
        Predicate<VectorItem> oneInTen = item -> n(item) % 10 == 3;
        int found = 0;
        for (float[] q : queries) {
            List<VectorIndex.Hit> hits = idx.search(q, 10, 64, oneInTen);
            assertEquals(10, hits.size(), "a filter passing 300 items still fills k");
            for (VectorIndex.Hit h : hits) {
                assertTrue(Integer.parseInt(h.id().substring(1)) % 10 == 3, h.id() + " did not pass the filter");
            }
            for (int i = 1; i < hits.size(); i++) {
                assertTrue(hits.get(i - 1).distance() <= hits.get(i).distance(), "closest first");
            }
            Set<String> exact = ids(idx.exactSearch(q, 10, oneInTen));
            found += (int) hits.stream().filter(h -> exact.contains(h.id())).count();
        }
        double recall = (double) found / (queries.length * 10);
        assertTrue(recall >= 0.95, "filtered recall@10 at ef=64 is " + recall);
    }

    @Test
    void aSelectiveFilterFindsItsItemsBehindRejectedNeighbours() {
        // 12 accepted items out of 3000, scattered over the clusters: a search that filtered its ef results
        // afterwards, or stopped when its bound stopped improving, would return few or none of them
        Predicate<VectorItem> rare = item -> n(item) % 250 == 7;
        for (float[] q : queries) {
            List<VectorIndex.Hit> hits = idx.search(q, 10, 10, rare);
            assertEquals(ids(idx.exactSearch(q, 10, rare)), ids(hits));
        }
    }

    @Test
    void aFilterPassingFewerThanKItemsReturnsAllOfThem() {
        Predicate<VectorItem> three = item -> n(item) == 5 || n(item) == 1500 || n(item) == 2999;
        assertEquals(Set.of("v5", "v1500", "v2999"), ids(idx.search(queries[0], 10, 64, three)));
    }

    @Test
    void aFilterPassingNothingReturnsNothingAndNoFilterIsThePlainSearch() {
        assertEquals(List.of(), idx.search(queries[0], 10, 64, item -> false));
        for (float[] q : queries) {
            assertEquals(ids(idx.search(q, 10, 64)), ids(idx.search(q, 10, 64, null)));
            assertEquals(ids(idx.search(q, 10, 64)), ids(idx.search(q, 10, 64, item -> true)));
        }
    }

    @Test
    void removedItemsNeverPassAFilter() {
        VectorIndex small = VectorIndex.create(new IndexSpec("g", DIM, Distance.L2, 16, 100, 64));
        small.addAll(VectorIndexTest.items(TestVectors.clustered(500, DIM, 5, 3), "v"));
        small.remove("v10");
        small.remove("v20");
        Predicate<VectorItem> tens = item -> n(item) % 10 == 0 && n(item) <= 30;
        assertEquals(Set.of("v0", "v30"), ids(small.search(queries[0], 10, 64, tens)));
        assertEquals(Set.of("v0", "v30"), ids(small.exactSearch(queries[0], 10, tens)));
    }
}
