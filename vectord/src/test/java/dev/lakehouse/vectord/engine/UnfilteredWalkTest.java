package dev.lakehouse.vectord.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.jelmerk.knn.util.VisitedSet;
import dev.lakehouse.vectord.TestVectors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fork's unfiltered base-layer walk (ADR 0046): it skips the per-candidate node lookup while nothing was ever
 * deleted, keeps its candidate queue and visited marks in a pooled per-thread set, and must stay exact about
 * deletions and about the 16-bit visited stamps wrapping.
 */
class UnfilteredWalkTest {

    static VectorIndex index(String name, float[][] data) {
        VectorIndex idx = VectorIndex.create(new IndexSpec(name, data[0].length, Distance.COSINE, 16, 100, 64), data.length);
        List<VectorItem> items = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            items.add(new VectorItem("i" + i, data[i].clone(), null));
        }
        idx.addAll(items);
        return idx;
    }

    static List<String> ids(List<VectorIndex.Hit> hits) {
        return hits.stream().map(VectorIndex.Hit::id).toList();
    }

    @Test
    void anItemDeletedAfterSearchesRanWithoutDeletionsIsNeverReturnedAgain() {
        float[][] data = TestVectors.clustered(1500, 32, 10, 3);
        VectorIndex idx = index("walk-del", data);
        for (int q = 0; q < 50; q++) {
            assertEquals("i" + q, idx.search(data[q], 1, 40).get(0).id()); // each finds itself first
        }
        for (int q = 0; q < 50; q++) {
            idx.remove("i" + q);
        }
        for (int q = 0; q < 50; q++) {
            List<String> hits = ids(idx.search(data[q], 10, 40));
            assertEquals(10, hits.size());
            assertFalse(hits.contains("i" + q), "deleted i" + q + " returned: " + hits);
        }
    }

    @Test
    void aGraphLoadedWithDeletedNodesStillSkipsThem() throws Exception {
        float[][] data = TestVectors.clustered(1500, 32, 10, 4);
        VectorIndex idx = index("walk-del-load", data);
        for (int q = 0; q < 50; q++) {
            idx.remove("i" + q);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (VectorIndex.Frozen f = idx.freeze()) {
            f.writeGraph(out);
        }
        VectorIndex loaded = VectorIndex.readGraph(idx.spec(), new ByteArrayInputStream(out.toByteArray()));
        for (int q = 0; q < 50; q++) {
            List<String> hits = ids(loaded.search(data[q], 10, 40));
            assertEquals(10, hits.size());
            assertFalse(hits.contains("i" + q), "deleted i" + q + " returned after load: " + hits);
        }
    }

    @Test
    void aNodeMarkedOneWrapOfTheVisitedStampsAgoIsUnvisitedInANewSearch() {
        VisitedSet set = new VisitedSet(10);
        set.reset(10);
        assertTrue(set.visit(3));
        assertFalse(set.visit(3), "a second visit in the same search");
        for (int search = 0; search < 65_535; search++) { // the 16-bit stamp comes back to the value it marked 3 with
            set.reset(10);
        }
        assertTrue(set.visit(3), "node 3 counted as visited by a search 65,535 searches ago");
    }

    @Test
    void int8HitsAreRescoredClosestFirstAlsoWhenDotDistancesAreNegative() {
        float[][] data = TestVectors.clustered(1000, 32, 10, 6);
        for (float[] v : data) {
            for (int j = 0; j < v.length; j++) {
                v[j] *= 3; // |v| > 1: dot distances 1 - u·v fall below zero
            }
        }
        VectorIndex idx = VectorIndex.create(new IndexSpec("walk-int8-dot", 32, Distance.DOT, 16, 100, 64,
                Quantization.INT8), data.length);
        List<VectorItem> items = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            items.add(new VectorItem("i" + i, data[i].clone(), null));
        }
        idx.addAll(items);
        int negative = 0;
        for (int q = 0; q < 30; q++) {
            List<VectorIndex.Hit> hits = idx.search(data[q], 10, 40);
            assertEquals(10, hits.size());
            for (int i = 1; i < hits.size(); i++) {
                assertTrue(hits.get(i - 1).distance() <= hits.get(i).distance(), "query " + q + ": " + hits);
            }
            negative += hits.get(0).distance() < 0 ? 1 : 0;
        }
        assertTrue(negative > 0, "no negative distance: the test would not cover the sign");
    }
}
