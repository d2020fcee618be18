package dev.lakehouse.bench.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The driver of {@code just scale-vectors}, through the gateway only. {@code phase=build}: synthetic clustered
 * vectors (deterministic per id) are added, one explicit save writes the single LHV1 object, and the hits of a
 * fixed query set are recorded. {@code phase=verify} (after kill -9 + restart): the same queries must give the
 * identical hits (recall = 1 against pre-restart). Options: n, dim, m, efc, k, ef, queries, clients, batch.
 */
public final class ScaleVectors {
    static final MediaType JSON = MediaType.get("application/json");
    static final OkHttpClient HTTP = new OkHttpClient.Builder()
            .readTimeout(Duration.ofMinutes(30)).writeTimeout(Duration.ofMinutes(5)).build();

    private ScaleVectors() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            o.put(kv[0], kv[1]);
        }
        String v = o.get("gateway") + "/v1/vectors";
        int n = Integer.parseInt(o.getOrDefault("n", "500000"));
        int dim = Integer.parseInt(o.getOrDefault("dim", "768"));
        int k = Integer.parseInt(o.getOrDefault("k", "10"));
        int ef = Integer.parseInt(o.getOrDefault("ef", "64"));
        int nq = Integer.parseInt(o.getOrDefault("queries", "200"));
        String name = o.getOrDefault("index", "scale_" + n + "_" + dim);
        Path record = Path.of(o.getOrDefault("record", "run/scale-vectors/" + name + ".hits.json"));
        Generator gen = new Generator(dim, 1000, 42);

        if (o.get("phase").equals("build")) {
            call("DELETE", v + "/index/" + name, null);
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("name", name);
            spec.put("dim", dim);
            spec.put("distance", "cosine");
            spec.put("m", Integer.parseInt(o.getOrDefault("m", "16")));
            spec.put("ef_construction", Integer.parseInt(o.getOrDefault("efc", "200")));
            expect(call("POST", v + "/index", spec), 201);
            int clients = Integer.parseInt(o.getOrDefault("clients", "2"));
            int batch = Integer.parseInt(o.getOrDefault("batch", "500"));
            AtomicInteger next = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                fs.add(pool.submit(() -> {
                    int from;
                    while ((from = next.getAndAdd(batch)) < n) {
                        List<Map<String, Object>> items = new ArrayList<>();
                        for (int i = from; i < Math.min(n, from + batch); i++) {
                            items.add(Map.of("id", "s" + i, "vector", gen.vector(i), "metadata", Map.of("i", i)));
                        }
                        expect(call("POST", v + "/index/" + name + "/add", Map.of("items", items)), 200);
                        int d = done.addAndGet(items.size());
                        if (d % 50_000 < batch) {
                            System.out.printf("  added %d/%d (%.0f vectors/s)%n", d, n, d / ((System.nanoTime() - t0) / 1e9));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            pool.shutdown();
            double buildS = (System.nanoTime() - t0) / 1e9;
            System.out.printf("build: %d x %d in %.1f s (%.0f vectors/s through the gateway, %d clients)%n", n, dim, buildS, n / buildS, clients);
            long s0 = System.nanoTime();
            JsonNode saved = expect(call("POST", v + "/index/" + name + "/save", null), 200);
            System.out.printf("save: one LHV1 PUT of %d bytes (%.1f MiB) in %.1f s (vectord: %d ms write+put)%n",
                    saved.get("last_save_bytes").asLong(), saved.get("last_save_bytes").asLong() / 1048576.0,
                    (System.nanoTime() - s0) / 1e9, saved.get("last_save_ms").asLong());
            List<List<String>> hits = search(v, name, gen, nq, k, ef);
            Files.createDirectories(record.getParent());
            Files.write(record, Json.bytes(hits));
            System.out.printf("recorded hits of %d queries (k=%d, ef=%d) to %s%n", nq, k, ef, record);
            heap(o.get("gateway"), "after build+save");
        } else {
            @SuppressWarnings("unchecked")
            List<List<String>> before = Json.MAPPER.readValue(Files.readAllBytes(record), List.class);
            JsonNode info = expect(call("GET", v + "/index/" + name, null), 200);
            System.out.printf("after restart: index %s has %d items%n", name, info.get("count").asInt());
            List<List<String>> after = search(v, name, gen, nq, k, ef);
            int same = 0;
            int identical = 0;
            for (int q = 0; q < nq; q++) {
                Set<String> b = new HashSet<>(before.get(q));
                same += (int) after.get(q).stream().filter(b::contains).count();
                identical += before.get(q).equals(after.get(q)) ? 1 : 0;
            }
            double recall = (double) same / (nq * (double) k);
            System.out.printf("recall vs pre-restart: %.4f; identical ranked lists: %d/%d%n", recall, identical, nq);
            heap(o.get("gateway"), "after restart+load");
            if (recall != 1.0 || identical != nq || info.get("count").asInt() != n) {
                System.out.println("SCALE CHECK FAILED");
                System.exit(1);
            }
            System.out.println("SCALE CHECK PASSED");
        }
    }

    static List<List<String>> search(String v, String name, Generator gen, int nq, int k, int ef) throws IOException {
        List<List<String>> all = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int q = 0; q < nq; q++) {
            JsonNode r = expect(call("POST", v + "/index/" + name + "/search",
                    Map.of("vector", gen.vector(-1 - q), "k", k, "ef", ef)), 200);
            List<String> ids = new ArrayList<>();
            r.get("hits").forEach(h -> ids.add(h.get("id").asText()));
            all.add(ids);
        }
        System.out.printf("searched %d queries: %.0f QPS through the gateway (1 client)%n", nq, nq / ((System.nanoTime() - t0) / 1e9));
        return all;
    }

    static void heap(String gateway, String when) throws IOException {
        JsonNode h = call("GET", gateway + "/v1/vectors/health", null).body;
        JsonNode heap = h.get("heap");
        System.out.printf("vectord heap %s: peak %d MiB, used %d MiB, max %d MiB%n", when, heap.get("peak").asLong() >> 20,
                heap.get("used").asLong() >> 20, heap.get("max").asLong() >> 20);
    }

    record Reply(int status, JsonNode body) {}

    static Reply call(String method, String url, Object body) throws IOException {
        RequestBody rb = body == null ? (method.equals("POST") ? RequestBody.create(new byte[0]) : null)
                : RequestBody.create(Json.bytes(body), JSON);
        for (int attempt = 0; ; attempt++) {
            try (Response r = HTTP.newCall(new Request.Builder().url(url).method(method, rb).build()).execute()) {
                byte[] b = r.body().bytes();
                if (r.code() == 502 && attempt < 2) {
                    continue; // the gateway's stale pooled upstream connection after a restart
                }
                return new Reply(r.code(), b.length == 0 ? null : Json.MAPPER.readTree(b));
            }
        }
    }

    static JsonNode expect(Reply r, int status) {
        if (r.status != status) {
            throw new IllegalStateException("expected " + status + ", got " + r.status + ": " + r.body);
        }
        return r.body;
    }

    /** Clustered vectors, each a pure function of its number (so both phases regenerate the same ones). */
    static final class Generator {
        final int dim;
        final float[][] centres;
        final long seed;

        Generator(int dim, int clusters, long seed) {
            this.dim = dim;
            this.seed = seed;
            SplittableRandom r = new SplittableRandom(seed);
            centres = new float[clusters][dim];
            for (float[] c : centres) {
                for (int d = 0; d < dim; d++) {
                    c[d] = (float) gauss(r);
                }
            }
        }

        float[] vector(long i) {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
            float[] c = centres[r.nextInt(centres.length)];
            float[] out = new float[dim];
            for (int d = 0; d < dim; d++) {
                out[d] = c[d] + 0.6f * (float) gauss(r);
            }
            return out;
        }

        static double gauss(SplittableRandom r) {
            double u = r.nextDouble(1e-12, 1.0);
            double w = r.nextDouble();
            return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
        }
    }
}
