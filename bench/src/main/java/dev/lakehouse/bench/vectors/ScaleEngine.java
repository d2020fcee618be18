package dev.lakehouse.bench.vectors;

import dev.lakehouse.vectord.engine.Distance;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.Kernels;
import dev.lakehouse.vectord.engine.VectorIndex;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * {@code bench/scale-engine.sh}: the engine alone on {@code just scale-vectors}' vectors (the same
 * {@link ScaleVectors.Generator}, seed and ids), so the fleet's build time splits into engine and path.
 * {@code dump=FILE} writes rows {@code 0..n-1} in the C++ reference's cache format (big-endian int n, int dim,
 * then n·dim big-endian floats) and stops. Otherwise it builds a {@link VectorIndex} in this process with
 * {@code threads} workers on the C++ reference's split (rows 0, step, 2·step… held out as {@code queries}), then
 * prints recall@10 and single-thread QPS per ef against the engine's exact scan timed on the same queries, and
 * the heap after a full GC ÷ the raw float bytes. Options: n, dim, m, efc, threads, step, queries, efs.
 */
public final class ScaleEngine {
    private ScaleEngine() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = ScaleVectors.options(args);
        int n = Integer.parseInt(o.getOrDefault("n", "500000"));
        int dim = Integer.parseInt(o.getOrDefault("dim", "768"));
        int m = Integer.parseInt(o.getOrDefault("m", "16"));
        int efc = Integer.parseInt(o.getOrDefault("efc", "200"));
        int threads = Integer.parseInt(o.getOrDefault("threads", "2"));
        int step = Integer.parseInt(o.getOrDefault("step", "25000"));
        int nq = Integer.parseInt(o.getOrDefault("queries", "20"));
        int k = 10;
        int[] efs = java.util.Arrays.stream(o.getOrDefault("efs", "40,80,160").split(",")).mapToInt(Integer::parseInt).toArray();
        ScaleVectors.Generator gen = new ScaleVectors.Generator(dim, 1000, 42); // as ScaleVectors

        long base = usedAfterGc();
        long g0 = System.nanoTime();
        float[][] rows = new float[n][];
        IntStream.range(0, n).parallel().forEach(i -> rows[i] = gen.vector(i));
        System.out.printf("generated %d x %d in %.1f s%n", n, dim, (System.nanoTime() - g0) / 1e9);
        if (o.containsKey("dump")) {
            Path file = Path.of(o.get("dump"));
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
                out.writeInt(n);
                out.writeInt(dim);
                for (float[] r : rows) {
                    for (float x : r) {
                        out.writeFloat(x);
                    }
                }
            }
            System.out.printf("wrote %s (%d bytes)%n", file, Files.size(file));
            return;
        }

        Set<Integer> held = new HashSet<>();
        for (int i = 0; i < n && held.size() < nq; i += step) {
            held.add(i);
        }
        List<float[]> queries = new ArrayList<>();
        List<Integer> dataIds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (held.contains(i)) {
                queries.add(rows[i]);
                Kernels.normalize(rows[i]); // the index normalises its own copies; queries as the C++ does
            } else {
                dataIds.add(i);
            }
        }
        VectorIndex idx = VectorIndex.create(new IndexSpec("scale-engine", dim, Distance.COSINE, m, efc, 64), dataIds.size());
        long cpu0 = processCpuNanos();
        float[][] data = dataIds.stream().map(i -> rows[i]).toArray(float[][]::new);
        double buildS = data.length / VectorsBench.build(idx, data, threads);
        double cpuS = (processCpuNanos() - cpu0) / 1e9;
        System.out.printf("engine build: %d x %d, M=%d efC=%d, %d threads: %.1f s (%.0f vectors/s; kernels %s); "
                        + "process CPU %.0f s (%.2f cores of the wall time: below %d, the machine was shared)%n",
                dataIds.size(), dim, m, efc, threads, buildS, dataIds.size() / buildS, Kernels.MODE, cpuS,
                cpuS / buildS, threads);
        data = null; // the index holds its own copies; drop the source rows
        for (int i : dataIds) {
            rows[i] = null;
        }
        long heap = usedAfterGc() - base; // the queries' 20 rows aside, only what the index holds
        double raw = 4.0 * dataIds.size() * dim;
        System.out.printf("heap of the index after a full GC: %.0f MiB = %.2fx the raw floats (%.0f MiB)%n",
                heap / 1048576.0, heap / raw, raw / 1048576.0);

        List<Set<String>> truth = new ArrayList<>();
        long b0 = System.nanoTime();
        for (float[] q : queries) {
            Set<String> t = new HashSet<>();
            idx.exactSearch(q, k).forEach(h -> t.add(h.id()));
            truth.add(t);
        }
        double bfQps = queries.size() / ((System.nanoTime() - b0) / 1e9);
        System.out.printf("brute force (the engine's exact scan, 1 thread): %.1f QPS%n", bfQps);
        for (int ef : efs) {
            for (float[] q : queries) {
                idx.search(q, k, ef); // warm-up
            }
            int found = 0;
            int passes = 0;
            long s0 = System.nanoTime();
            do {
                found = 0;
                for (int q = 0; q < queries.size(); q++) {
                    for (VectorIndex.Hit h : idx.search(queries.get(q), k, ef)) {
                        found += truth.get(q).contains(h.id()) ? 1 : 0;
                    }
                }
                passes++;
            } while (System.nanoTime() - s0 < 1_000_000_000L);
            double qps = passes * queries.size() / ((System.nanoTime() - s0) / 1e9);
            System.out.printf("ef %d: recall@10 %.4f, %.0f QPS (1 thread) = %.0fx brute force%n", ef,
                    found / (double) (queries.size() * k), qps, qps / bfQps);
        }
    }

    /** CPU time of this process (all threads, GC and JIT included), to compare with the C++ run's user time. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
