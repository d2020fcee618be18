package dev.lakehouse.bench.vectors;

import dev.lakehouse.vectord.engine.Distance;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.Kernels;
import dev.lakehouse.vectord.engine.Quantization;
import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.engine.VectorItem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code just bench vectors}: vectord's engine (the same {@link VectorIndex} the service runs) on real
 * embeddings — build vectors/s, then QPS and recall@10 at several ef against exact brute force measured in
 * the same run on the same vectors. Options: {@code m=16 efc=200 threads=2 queries=500 k=10
 * efs=10,20,40,80,160,320 synthetic=N synthetic_dim=768 lucene=true|false} (lucene: the same measurements on
 * Lucene 9.12.3's HNSW, the alternative engine, in the same run) (synthetic: an extra build-speed run on clustered
 * vectors of that dimension; recall is not measured on those, random data makes it meaningless)
 * (cpp=FILE: figures of the C++ nmslib/hnswlib measured beside the project on the same cached vectors and
 * split, see {@link CppReference}; the goals' ratios against it are printed) (int8=false: skip the same
 * measurements on an int8 index, ADR 0034) (heap=N heap_dim=768 heap_efc=40: heap after loading N random vectors into a float
 * and into an int8 index, as a ratio to the raw float bytes).
 */
public final class VectorsBench {
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private VectorsBench() {}

    /** {@code key=value} arguments (a bare {@code key} maps to ""). */
    public static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            o.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return o;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        Path dataDir = Path.of(o.getOrDefault("data_dir", "data"));
        Path cache = Path.of(o.getOrDefault("cache", "run/bench-vectors/fortunes-minilm-l6-v2-q.f32"));
        int m = Integer.parseInt(o.getOrDefault("m", "16"));
        int efc = Integer.parseInt(o.getOrDefault("efc", "200"));
        int threads = Integer.parseInt(o.getOrDefault("threads", "2"));
        int nq = Integer.parseInt(o.getOrDefault("queries", "500"));
        int k = Integer.parseInt(o.getOrDefault("k", "10"));
        int[] efs = Arrays.stream(o.getOrDefault("efs", "10,20,40,80,160,320").split(",")).mapToInt(Integer::parseInt).toArray();
        int synthetic = Integer.parseInt(o.getOrDefault("synthetic", "0"));
        boolean int8 = !o.getOrDefault("int8", "true").equals("false");
        System.out.printf("kernels: %s; %d cores; heap max %d MiB%n", Kernels.MODE,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        if (!o.containsKey("skip_fortunes")) {
            FortunesEmbeddings.Corpus corpus = FortunesEmbeddings.texts();
            float[][] all = FortunesEmbeddings.load(cache, dataDir, corpus.texts());
            // queries: nq whole fortunes spread over the corpus, held out of the index
            Set<Integer> qIdx = new HashSet<>();
            int step = Math.max(1, corpus.entries() / nq);
            for (int i = 0; i < corpus.entries() && qIdx.size() < nq; i += step) {
                qIdx.add(i);
            }
            List<float[]> data = new ArrayList<>();
            List<float[]> queries = new ArrayList<>();
            for (int i = 0; i < all.length; i++) {
                (qIdx.contains(i) ? queries : data).add(all[i]);
            }
            System.out.printf("fortunes: %d texts (%d entries + distinct lines), %d-d; index %d, queries %d (held out)%n",
                    all.length, corpus.entries(), all[0].length, data.size(), queries.size());
            CppReference cpp = o.containsKey("cpp") ? CppReference.read(Path.of(o.get("cpp"))) : null;
            System.out.printf("split: queries are texts 0, %d, 2x%d, ... (C++ reference: step %d)%n", step, step, step);
            run("fortunes", data.toArray(new float[0][]), queries.toArray(new float[0][]), m, efc, threads, k, efs,
                    !o.getOrDefault("lucene", "true").equals("false"), cpp, int8);
        }
        if (o.containsKey("heap")) {
            // a low efC by default: the heap depends on M, not on how hard the build searched
            HeapProbe.run(Integer.parseInt(o.get("heap")), Integer.parseInt(o.getOrDefault("heap_dim", "768")), m,
                    Integer.parseInt(o.getOrDefault("heap_efc", "40")), threads);
        }
        if (synthetic > 0) {
            int dim = Integer.parseInt(o.getOrDefault("synthetic_dim", "768"));
            float[][] data = dev.lakehouse.vectord.engine.ClusteredVectors.generate(synthetic, dim, 100, 0.5f, 1);
            VectorIndex idx = VectorIndex.create(new IndexSpec("synthetic", dim, Distance.COSINE, m, efc, 64), synthetic);
            double rate = build(idx, data, threads);
            System.out.printf("synthetic build: %d x %d, M=%d efC=%d, %d threads: %.0f vectors/s (kernels %s)%n",
                    synthetic, dim, m, efc, threads, rate, Kernels.MODE);
        }
    }

    static void run(String label, float[][] data, float[][] queries, int m, int efc, int threads, int k, int[] efs,
                    boolean lucene, CppReference cpp, boolean int8) throws Exception {
        int dim = data[0].length;
        // exact reference: brute force over unit vectors (cosine), single thread, same distance kernel as the index
        float[][] unit = new float[data.length][];
        for (int i = 0; i < data.length; i++) {
            unit[i] = data[i].clone();
            Kernels.normalize(unit[i]);
        }
        List<Set<Integer>> truth = new ArrayList<>();
        bruteForce(unit, queries, k, null); // warm-up
        long t0 = System.nanoTime();
        bruteForce(unit, queries, k, truth);
        double bfQps = queries.length / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("%s brute force: %.0f QPS (1 thread, %d x %d)%n", label, bfQps, data.length, dim);

        VectorIndex idx = VectorIndex.create(new IndexSpec(label, dim, Distance.COSINE, m, efc, 64), data.length);
        double rate = build(idx, data, threads);
        System.out.printf("%s build: %d vectors, M=%d efC=%d, %d threads: %.0f vectors/s (kernels %s)%n",
                label, data.length, m, efc, threads, rate, Kernels.MODE);
        double at95 = sweep(label, idx, unit, queries, truth, k, efs, bfQps);
        if (cpp != null) {
            cpp.compare(threads, rate, at95, bfQps, m, efc, data.length);
        }
        if (int8) {
            idx = null; // let the float graph go before the int8 one is built
            VectorIndex q8 = VectorIndex.create(new IndexSpec(label + "-int8", dim, Distance.COSINE, m, efc, 64,
                    Quantization.INT8), data.length);
            double rate8 = build(q8, data, threads);
            System.out.printf("%s int8 build: %d vectors, %d threads: %.0f vectors/s (%.2fx the float build)%n",
                    label, data.length, threads, rate8, rate8 / rate);
            double at95q = sweep(label + " int8", q8, unit, queries, truth, k, efs, bfQps);
            System.out.printf("%s int8 QPS at recall@%d 0.95: %.0f = %.2fx the float index's%n", label, k, at95q,
                    at95q / at95);
            if (cpp != null) {
                cpp.compareInt8(at95q);
            }
        }
        if (lucene) {
            LuceneProbe.run(label, unit, queries, truth, bfQps, m, efc, k, efs);
        }
    }

    /** Recall@k and QPS per ef (single thread), printed; returns QPS at recall 0.95 interpolated. */
    static double sweep(String label, VectorIndex idx, float[][] unit, float[][] queries, List<Set<Integer>> truth,
                        int k, int[] efs, double bfQps) {
        // CPU QPS: queries per second of the searching thread's CPU time, steadier than wall time on a shared
        // machine (a descheduled thread costs wall time, not CPU time); compare it between runs of this bench
        System.out.printf("%-6s %10s %10s %10s %12s %14s%n", "ef", "recall@" + k, "QPS", "CPU QPS", "BF QPS now",
                "x brute force");
        boolean met = false;
        double[] recalls = new double[efs.length];
        double[] qpss = new double[efs.length];
        for (int e = 0; e < efs.length; e++) {
            int ef = efs[e];
            for (float[] q : queries) { // warm-up at this ef
                idx.search(q, k, ef);
            }
            int found = 0;
            int passes = 0;
            long s0 = System.nanoTime();
            long c0 = CPU.getCurrentThreadCpuTime();
            do {
                found = 0;
                for (int qi = 0; qi < queries.length; qi++) {
                    for (VectorIndex.Hit h : idx.search(queries[qi], k, ef)) {
                        if (truth.get(qi).contains(Integer.parseInt(h.id()))) {
                            found++;
                        }
                    }
                }
                passes++;
            } while (System.nanoTime() - s0 < 1_000_000_000L);
            double qps = passes * queries.length / ((System.nanoTime() - s0) / 1e9);
            double cpuQps = passes * queries.length / ((CPU.getCurrentThreadCpuTime() - c0) / 1e9);
            double recall = (double) found / (queries.length * k);
            double bfNow = bruteForceQps(unit, queries);
            met |= recall >= 0.95 && qps >= 20 * bfNow;
            recalls[e] = recall;
            qpss[e] = qps;
            System.out.printf("%-6d %10.3f %10.0f %10.0f %12.0f %13.1fx%n", ef, recall, qps, cpuQps, bfNow, qps / bfNow);
        }
        System.out.printf("%s goal recall@%d >= 0.95 at >= 20x brute-force QPS: %s%n", label, k, met ? "MET" : "NOT MET");
        double at95 = CppReference.qpsAtRecall(recalls, qpss, 0.95);
        System.out.printf("%s QPS at recall@%d 0.95 (interpolated): %.0f (%.1fx brute force)%n", label, k, at95, at95 / bfQps);
        return at95;
    }

    /**
     * Brute-force QPS measured again right after each row (on a shared machine the load changes within
     * minutes; a ratio is only meaningful between figures taken close together).
     */
    static double bruteForceQps(float[][] unit, float[][] queries) {
        float[][] some = Arrays.copyOf(queries, Math.min(queries.length, 40));
        long t0 = System.nanoTime();
        bruteForce(unit, some, 10, null);
        return some.length / ((System.nanoTime() - t0) / 1e9);
    }

    static void bruteForce(float[][] unit, float[][] queries, int k, List<Set<Integer>> truth) {
        for (float[] query : queries) {
            float[] q = query.clone();
            Kernels.normalize(q);
            int[] best = new int[k];
            float[] bestS = new float[k];
            Arrays.fill(bestS, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < unit.length; i++) {
                float s = Kernels.fastDot(q, unit[i]);
                if (s > bestS[k - 1]) {
                    int j = k - 1;
                    while (j > 0 && bestS[j - 1] < s) {
                        bestS[j] = bestS[j - 1];
                        best[j] = best[j - 1];
                        j--;
                    }
                    bestS[j] = s;
                    best[j] = i;
                }
            }
            if (truth != null) {
                Set<Integer> t = new HashSet<>();
                for (int b : best) {
                    t.add(b);
                }
                truth.add(t);
            }
        }
    }

    /** Adds everything with {@code threads} workers in batches; returns vectors/s. */
    static double build(VectorIndex idx, float[][] data, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        int batch = 256;
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                int from;
                while ((from = next.getAndAdd(batch)) < data.length) {
                    List<VectorItem> items = new ArrayList<>(batch);
                    for (int i = from; i < Math.min(data.length, from + batch); i++) {
                        items.add(new VectorItem(Integer.toString(i), data[i].clone(), null));
                    }
                    idx.addAll(items);
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return data.length / ((System.nanoTime() - t0) / 1e9);
    }
}
