package dev.lakehouse.vectord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.vectord.engine.Distance;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.engine.VectorItem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Snapshots written before the engine was forked still load: {@code graphs/graph-hnswlib-core-1.1.2.bin} is
 * the graph payload of an LHV1 snapshot as the original hnswlib-core 1.1.2 jar wrote it (300 random 8-d
 * items, seed 7, every third with metadata {"n":i}; i5 and i6 removed).
 */
class OldGraphFormatTest {
    static final IndexSpec SPEC = new IndexSpec("old", 8, Distance.COSINE, 8, 50, 32);

    static VectorIndex load() throws Exception {
        try (InputStream in = OldGraphFormatTest.class.getResourceAsStream("/graphs/graph-hnswlib-core-1.1.2.bin")) {
            return VectorIndex.readGraph(SPEC, in);
        }
    }

    @Test
    void aGraphWrittenByHnswlibCore112LoadsWithItsItemsAndSearches() throws Exception {
        VectorIndex idx = load();
        assertEquals(298, idx.size());
        assertEquals(2, idx.tombstones());
        assertFalse(idx.contains("i5"));
        assertEquals("{\"n\":9}", idx.get("i9").orElseThrow().metadataJson());
        Random r = new Random(7);
        float[] first = new float[8];
        for (int d = 0; d < 8; d++) {
            first[d] = (float) r.nextGaussian();
        }
        assertEquals("i0", idx.search(first, 1, 32).get(0).id());
        assertTrue(recall(idx) >= 0.95);
    }

    @Test
    void anOldGraphTakesNewItemsAndSavesInTheCurrentFormat() throws Exception {
        VectorIndex idx = load();
        idx.addAll(List.of(new VectorItem("new", new float[] {1, 0, 0, 0, 0, 0, 0, 0}, null)));
        assertEquals("new", idx.search(new float[] {1, 0.01f, 0, 0, 0, 0, 0, 0}, 1, 32).get(0).id());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (VectorIndex.Frozen f = idx.freeze()) {
            f.writeGraph(out);
        }
        VectorIndex again = VectorIndex.readGraph(SPEC, new ByteArrayInputStream(out.toByteArray()));
        assertEquals(299, again.size());
        assertEquals(recall(idx), recall(again), 1e-9);
    }

    static double recall(VectorIndex idx) {
        float[][] queries = TestVectors.clustered(30, 8, 5, 9);
        int found = 0;
        for (float[] q : queries) {
            Set<String> exact = new HashSet<>();
            idx.exactSearch(q, 10).forEach(h -> exact.add(h.id()));
            found += (int) idx.search(q, 10, 32).stream().filter(h -> exact.contains(h.id())).count();
        }
        return (double) found / (queries.length * 10);
    }
}
