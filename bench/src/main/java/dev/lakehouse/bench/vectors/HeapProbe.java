package dev.lakehouse.bench.vectors;

import dev.lakehouse.vectord.engine.Distance;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.Quantization;
import dev.lakehouse.vectord.engine.VectorIndex;
import java.lang.management.ManagementFactory;
import java.util.Random;

/**
 * {@code just bench vectors heap=N heap_dim=768}: the heap an index holds after loading N random vectors
 * (measured after a full GC, the vectors' source array dropped), as a ratio to the raw float bytes N·dim·4 —
 * the issue-24 goal is ≤ 1.3× — for a float index and for an int8 one (whose floats are off the heap).
 */
final class HeapProbe {
    private HeapProbe() {}

    static void run(int n, int dim, int m, int efc, int threads) throws Exception {
        double raw = 4.0 * n * dim;
        for (Quantization q : Quantization.values()) {
            long before = usedAfterGc();
            VectorIndex idx = VectorIndex.create(new IndexSpec("heap-" + q.wire(), dim, Distance.COSINE, m, efc, 64, q), n);
            long t0 = System.nanoTime();
            load(idx, n, dim, threads);
            double secs = (System.nanoTime() - t0) / 1e9;
            long heap = usedAfterGc() - before;
            System.out.printf("heap %s: %d x %d loaded in %.0f s (%.0f vectors/s); heap %.0f MiB = %.2fx the raw floats "
                            + "(%.0f MiB; goal <= 1.3x); estimate %.0f MiB; off heap %.0f MiB%n", q.wire(), n, dim, secs,
                    n / secs, heap / 1048576.0, heap / raw, raw / 1048576.0, idx.memoryBytes() / 1048576.0,
                    idx.offHeapBytes() / 1048576.0);
            if (idx.size() != n) {
                throw new IllegalStateException("loaded " + idx.size() + " of " + n);
            }
        }
    }

    /** Random unit-free gaussian vectors, generated per batch so the source never sits on the heap whole. */
    private static void load(VectorIndex idx, int n, int dim, int threads) throws Exception {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                int from;
                while ((from = next.getAndAdd(256)) < n) {
                    Random r = new Random(from);
                    java.util.List<dev.lakehouse.vectord.engine.VectorItem> batch = new java.util.ArrayList<>();
                    for (int i = from; i < Math.min(n, from + 256); i++) {
                        float[] v = new float[dim];
                        for (int d = 0; d < dim; d++) {
                            v[d] = (float) r.nextGaussian();
                        }
                        batch.add(new dev.lakehouse.vectord.engine.VectorItem(Integer.toString(i), v, null));
                    }
                    idx.addAll(batch);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
