package dev.lakehouse.systest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * N concurrent clients for a fixed time on object GET and vector search through the gateway. Prints
 * throughput, p50/p99 and errors per operation, and each service's live heap (after a full GC) and
 * thread count before and after, to catch leaks. Exits non-zero on errors or growth past the bounds.
 *
 * <p>Usage: {@code LoadCheck [gatewayUrl] [clients] [seconds]}.
 */
public final class LoadCheck {
    static final int DIM = 64;
    static final List<String> SERVICES = List.of("gateway", "storaged", "catalogd", "ingestd", "queryd", "vectord", "embedd");

    public static void main(String[] args) throws Exception {
        int clients = Fleet.intArg(args, 1, 16);
        int seconds = Fleet.intArg(args, 2, 20);
        Fleet fleet = Fleet.awaitHealthy(args, java.time.Duration.ofSeconds(60));
        Api api = new Api(fleet.gateway());

        String run = Long.toString(System.currentTimeMillis(), 36);
        List<String> keys = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 32; i++) {
            byte[] data = new byte[16 * 1024];
            rnd.nextBytes(data);
            String key = "load/" + run + "/obj-" + i;
            require(api.put("/v1/storage/objects/" + key, data), "seed object");
            keys.add(key);
        }
        String index = "load_" + run;
        require(api.postJson("/v1/vectors/index", Map.of("name", index, "dim", DIM, "distance", "cosine")), "create index");
        for (int batch = 0; batch < 4; batch++) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                items.add(Map.of("id", "v" + (batch * 500 + i), "vector", randomVector(rnd)));
            }
            require(api.postJson("/v1/vectors/index/" + index + "/add", Map.of("items", items)), "add vectors");
        }

        System.out.printf("load: %d clients x %d s through %s (warm-up round first)%n", clients, seconds, fleet.gateway());
        round(api, keys, index, clients, Math.max(5, seconds / 4), false); // warm pools and JIT
        Map<String, long[]> before = resources(fleet);
        Map<String, Stats> stats = round(api, keys, index, clients, seconds, true);
        Thread.sleep(2000);
        Map<String, long[]> after = resources(fleet);
        api.delete("/v1/vectors/index/" + index);
        for (String key : keys) {
            api.delete("/v1/storage/objects/" + key);
        }

        long errors = 0;
        for (Map.Entry<String, Stats> e : stats.entrySet()) {
            Stats s = e.getValue();
            errors += s.errors.get();
            System.out.printf("  %-14s %8d ok %6d err %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms%n", e.getKey(), s.count(),
                    s.errors.get(), s.count() / (double) seconds, s.percentileMillis(50), s.percentileMillis(99));
        }
        boolean leak = false;
        System.out.println("  service         heap MiB before -> after (live, after GC)   threads before -> after");
        for (String svc : SERVICES) {
            long[] b = before.get(svc);
            long[] a = after.get(svc);
            if (b == null || a == null) {
                continue;
            }
            boolean heapGrew = a[0] > b[0] * 1.5 + (32L << 20);
            boolean threadsGrew = a[1] > b[1] + 10;
            leak |= heapGrew || threadsGrew;
            System.out.printf("  %-14s %6.1f -> %6.1f%s %32d -> %d%s%n", svc, b[0] / 1048576.0, a[0] / 1048576.0,
                    heapGrew ? " GREW" : "", b[1], a[1], threadsGrew ? " GREW" : "");
        }
        System.out.printf("load: %d errors, leak suspected: %s%n", errors, leak);
        System.exit(errors == 0 && !leak ? 0 : 1);
    }

    static void require(Api.Reply r, String what) {
        if (!r.ok()) {
            throw new IllegalStateException(what + " failed: " + r.status() + " " + new String(r.body()));
        }
    }

    static float[] randomVector(SplittableRandom rnd) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    static Map<String, Stats> round(Api api, List<String> keys, String index, int clients, int seconds, boolean print)
            throws InterruptedException {
        Map<String, Stats> stats = new LinkedHashMap<>();
        stats.put("object GET", new Stats(5_000_000));
        stats.put("vector search", new Stats(5_000_000));
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            int seed = c;
            pool.submit(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                while (System.nanoTime() < end) {
                    boolean get = rnd.nextBoolean();
                    Stats s = stats.get(get ? "object GET" : "vector search");
                    long t0 = System.nanoTime();
                    try {
                        Api.Reply r = get
                                ? api.get("/v1/storage/objects/" + keys.get(rnd.nextInt(keys.size())))
                                : api.postJson("/v1/vectors/index/" + index + "/search", Map.of("vector", randomVector(rnd), "k", 10));
                        if (r.ok()) {
                            s.record((System.nanoTime() - t0) / 1000);
                        } else {
                            s.errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        s.errors.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 120L, TimeUnit.SECONDS);
        return stats;
    }

    /** service → {live heap bytes after a full GC, thread count}. */
    static Map<String, long[]> resources(Fleet fleet) throws Exception {
        for (String svc : SERVICES) {
            fleet.gc(svc);
        }
        Thread.sleep(500);
        JsonNode h = fleet.health();
        Map<String, long[]> out = new LinkedHashMap<>();
        h.path("services").fields().forEachRemaining(e -> out.put(e.getKey(),
                new long[] {e.getValue().at("/heap/used").asLong(), e.getValue().path("threads").asLong()}));
        return out;
    }
}
