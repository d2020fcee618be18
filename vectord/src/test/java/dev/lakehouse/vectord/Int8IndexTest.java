package dev.lakehouse.vectord;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.vectord.engine.Distance;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.Kernels;
import dev.lakehouse.vectord.engine.Quantization;
import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.engine.VectorItem;
import dev.lakehouse.vectord.lhv1.Lhv1;
import dev.lakehouse.vectord.store.IndexFile;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Int8IndexTest {
    static final int DIM = 64;

    @TempDir
    Path dir;

    static IndexSpec spec(String name, Distance d, Quantization q) {
        return new IndexSpec(name, DIM, d, 16, 100, 64, q);
    }

    static VectorIndex built(IndexSpec spec, float[][] data) {
        VectorIndex idx = VectorIndex.create(spec);
        idx.addAll(VectorIndexTest.items(data, "i"));
        return idx;
    }

    @Test
    void int8RecallStaysWithinTwoPointsOfFloatRecallForEveryDistance() {
        float[][] data = TestVectors.clustered(3000, DIM, 30, 1);
        float[][] queries = TestVectors.clustered(60, DIM, 30, 2);
        for (Distance d : Distance.values()) {
            VectorIndex f = built(spec("f" + d.wire(), d, Quantization.NONE), data);
            VectorIndex q = built(spec("q" + d.wire(), d, Quantization.INT8), data);
            double rf = VectorIndexTest.recall(f, queries, 10, 64);
            double rq = VectorIndexTest.recall(q, queries, 10, 64);
            System.out.printf("int8 recall %s: float %.3f int8 %.3f%n", d, rf, rq);
            assertTrue(rq >= rf - 0.02, d + ": int8 recall " + rq + " vs float " + rf);
            // inner product on unnormalised vectors is hard for any HNSW (float reaches ~0.76 here)
            assertTrue(rq >= (d == Distance.DOT ? 0.7 : 0.9), d + ": int8 recall " + rq);
        }
    }

    @Test
    void int8HitsCarryTheExactFloatDistancesBecauseTheTopCandidatesAreRescored() {
        float[][] data = TestVectors.clustered(2000, DIM, 20, 3);
        VectorIndex q = built(spec("r", Distance.COSINE, Quantization.INT8), data);
        for (int i = 0; i < 40; i++) {
            float[] query = data[i * 37].clone();
            List<VectorIndex.Hit> exact = q.exactSearch(query, 10);
            Map<String, Float> exactDist = exact.stream().collect(Collectors.toMap(VectorIndex.Hit::id, VectorIndex.Hit::distance));
            List<VectorIndex.Hit> hits = q.search(query, 10, 64);
            assertEquals(10, hits.size());
            assertEquals("i" + i * 37, hits.get(0).id(), "an item is its own nearest neighbour");
            for (int h = 0; h < hits.size(); h++) {
                VectorIndex.Hit hit = hits.get(h);
                float[] v = q.get(hit.id()).orElseThrow().vector();
                float[] unit = query.clone();
                Kernels.normalize(unit);
                assertEquals(1f - Kernels.dot(unit, v), hit.distance(), 1e-5f, "hit " + hit.id());
                if (exactDist.containsKey(hit.id())) {
                    assertEquals(exactDist.get(hit.id()), hit.distance(), 1e-6f);
                }
                if (h > 0) {
                    assertTrue(hits.get(h - 1).distance() <= hit.distance(), "sorted by float distance");
                }
            }
        }
    }

    @Test
    void anInt8IndexSurvivesALhv1RoundTripWithItsFloatsCodesAndHits() throws Exception {
        float[][] data = TestVectors.clustered(800, DIM, 8, 4);
        VectorIndex idx = built(spec("rt", Distance.L2, Quantization.INT8), data);
        idx.remove("i3");
        Path file = dir.resolve("rt.lhv1");
        IndexFile.write(idx, file);
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            in.skipBytes(4);
            assertEquals(2, in.readUnsignedShort(), "an int8 file is LHV1 version 2");
        }
        IndexFile.Loaded loaded = IndexFile.read(file, "rt");
        assertEquals("int8", loaded.header().quantization());
        VectorIndex back = loaded.index();
        assertEquals(idx.spec(), back.spec());
        assertEquals(Quantization.INT8, back.spec().quantization());
        assertEquals(799, back.size());
        assertFalse(back.contains("i3"));
        for (int i = 0; i < data.length; i += 17) {
            if (i != 3) {
                assertArrayEquals(data[i], back.get("i" + i).orElseThrow().vector(), "floats of i" + i);
            }
            assertEquals(idx.search(data[i], 10, 50), back.search(data[i], 10, 50), "query " + i);
        }
        back.addAll(List.of(new VectorItem("late", data[5].clone(), null)));
        assertEquals("late", back.search(data[5], 2, 50).stream().map(VectorIndex.Hit::id)
                .filter(id -> id.equals("late")).findFirst().orElse("missing"));
    }

    @Test
    void aFloatIndexIsStillWrittenAsLhv1VersionOneWithoutAQuantizationField() throws Exception {
        VectorIndex idx = built(spec("v1", Distance.COSINE, Quantization.NONE), TestVectors.clustered(50, DIM, 2, 6));
        Path file = dir.resolve("v1.lhv1");
        IndexFile.write(idx, file);
        byte[] raw = Files.readAllBytes(file);
        assertEquals(1, ((raw[4] & 0xff) << 8) | (raw[5] & 0xff));
        assertFalse(new String(raw, 0, 400, java.nio.charset.StandardCharsets.ISO_8859_1).contains("quantization"));
        assertEquals(Lhv1.MIN_VERSION, 1);
    }

    @Test
    void aSnapshotWrittenBeforeQuantizationExistedStillLoads() throws Exception {
        // written by the build before this change (LHV1 version 1, no quantization in the header)
        Path file = dir.resolve("old.lhv1");
        try (var in = getClass().getResourceAsStream("/lhv1/v1-cosine-8d-40.lhv1")) {
            Files.copy(in, file);
        }
        IndexFile.Loaded loaded = IndexFile.read(file, "v1old");
        assertEquals(null, loaded.header().quantization());
        assertEquals(3, loaded.header().incarnationOrZero());
        VectorIndex idx = loaded.index();
        assertEquals(Quantization.NONE, idx.spec().quantization());
        assertEquals(40, idx.size());
        VectorItem seven = idx.get("i7").orElseThrow();
        assertEquals("{\"n\":7}", seven.metadataJson());
        assertEquals("i7", idx.search(seven.vector(), 1, 32).get(0).id());
    }

    @Test
    void addReplaceDeleteAndFilteredSearchWorkOnAnInt8Index() {
        float[][] data = TestVectors.clustered(1500, DIM, 10, 7);
        VectorIndex idx = built(spec("crud", Distance.COSINE, Quantization.INT8), data);
        idx.addAll(List.of(new VectorItem("i0", data[900].clone(), "{\"n\":\"moved\"}")));
        assertTrue(idx.remove("i900"));
        assertEquals(1499, idx.size());
        List<VectorIndex.Hit> near900 = idx.search(data[900], 5, 64);
        assertEquals("i0", near900.get(0).id(), "the replaced item took the new vector");
        assertEquals("{\"n\":\"moved\"}", near900.get(0).metadataJson());
        assertTrue(near900.stream().noneMatch(h -> h.id().equals("i900")), "removed items are never returned");
        List<VectorIndex.Hit> odd = idx.search(data[10], 10, 64,
                item -> item.metadataJson() != null && item.metadataJson().matches("\\{\"n\":\\d*[13579]\\}"));
        assertEquals(10, odd.size());
        for (VectorIndex.Hit h : odd) {
            assertTrue(Integer.parseInt(h.id().substring(1)) % 2 == 1, "filter holds: " + h.id());
        }
        List<VectorIndex.Hit> exactOdd = idx.exactSearch(data[10], 10,
                item -> item.metadataJson() != null && item.metadataJson().matches("\\{\"n\":\\d*[13579]\\}"));
        long same = odd.stream().filter(h -> exactOdd.stream().anyMatch(e -> e.id().equals(h.id()))).count();
        assertTrue(same >= 9, "filtered int8 search finds the exact filtered top 10: " + same);
    }

    @Test
    void memoryAccountingCountsOneByteAPerDimensionOnTheHeapAndTheFloatsOffIt() {
        float[][] data = TestVectors.clustered(1000, DIM, 10, 8);
        VectorIndex f = built(spec("mf", Distance.COSINE, Quantization.NONE), data);
        VectorIndex q = built(spec("mq", Distance.COSINE, Quantization.INT8), data);
        assertEquals(3L * DIM * 1000, f.memoryBytes() - q.memoryBytes(), "int8 saves 3 bytes per dimension per item");
        assertEquals(4L * DIM * 1000, q.offHeapBytes());
        assertEquals(0, f.offHeapBytes());
        assertEquals(1000L * (16 + DIM), q.graphBytes(1000) - f.graphBytes(1000),
                "an int8 rebuild holds new codes; a float rebuild shares the vectors");
    }
}
