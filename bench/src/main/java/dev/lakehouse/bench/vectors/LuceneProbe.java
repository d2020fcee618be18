package dev.lakehouse.bench.vectors;

import java.util.List;
import java.util.Set;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The alternative engine, measured on the same vectors, queries and brute-force truth in the same run:
 * Lucene 9.12.3's HNSW (the newest Lucene on Java 17), one segment built in memory by one indexing thread.
 * Not used by vectord; it backs the comparison in ADR 0007.
 */
final class LuceneProbe {
    private LuceneProbe() {}

    static void run(String label, float[][] unit, float[][] queries, List<Set<Integer>> truth, double bfQps,
                    int m, int efc, int k, int[] efs) throws Exception {
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriterConfig cfg = new IndexWriterConfig();
        cfg.setCodec(new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return new Lucene99HnswVectorsFormat(m, efc);
            }
        });
        cfg.setRAMBufferSizeMB(2048);
        long t0 = System.nanoTime();
        try (IndexWriter w = new IndexWriter(dir, cfg)) {
            for (float[] v : unit) {
                Document d = new Document();
                d.add(new KnnFloatVectorField("v", v, VectorSimilarityFunction.DOT_PRODUCT));
                w.addDocument(d);
            }
            w.commit();
        }
        double rate = unit.length / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("%s lucene 9.12.3 build: %d vectors, M=%d beamWidth=%d, 1 thread: %.0f vectors/s%n",
                label, unit.length, m, efc, rate);
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
            if (reader.leaves().size() != 1) {
                System.out.printf("  (%d segments)%n", reader.leaves().size());
            }
            IndexSearcher searcher = new IndexSearcher(reader);
            float[][] uq = new float[queries.length][];
            for (int i = 0; i < queries.length; i++) {
                uq[i] = queries[i].clone();
                dev.lakehouse.vectord.engine.Kernels.normalize(uq[i]);
            }
            System.out.printf("%-6s %10s %10s %12s %14s  (lucene)%n", "ef", "recall@" + k, "QPS", "BF QPS now", "x brute force");
            for (int ef : efs) {
                for (float[] q : uq) {
                    searcher.search(new KnnFloatVectorQuery("v", q, Math.max(k, ef)), k);
                }
                int found = 0;
                int passes = 0;
                long s0 = System.nanoTime();
                do {
                    found = 0;
                    for (int qi = 0; qi < uq.length; qi++) {
                        TopDocs td = searcher.search(new KnnFloatVectorQuery("v", uq[qi], Math.max(k, ef)), k);
                        for (ScoreDoc sd : td.scoreDocs) {
                            if (truth.get(qi).contains(sd.doc)) {
                                found++;
                            }
                        }
                    }
                    passes++;
                } while (System.nanoTime() - s0 < 1_000_000_000L);
                double qps = passes * uq.length / ((System.nanoTime() - s0) / 1e9);
                double bfNow = VectorsBench.bruteForceQps(unit, queries);
                System.out.printf("%-6d %10.3f %10.0f %12.0f %13.1fx%n", ef, (double) found / (uq.length * k), qps, bfNow,
                        qps / bfNow);
            }
        }
    }
}
