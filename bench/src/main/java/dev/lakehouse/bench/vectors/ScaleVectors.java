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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The driver of {@code just scale-vectors}, through the gateway only. {@code phase=build}: synthetic clustered
 * vectors (deterministic per id) are added, one explicit save writes the single LHV1 object, and the hits of a
 * fixed query set are recorded. {@code phase=verify} (after kill -9 + restart): the same queries must give the
 * identical hits (recall = 1 against pre-restart). Options: n, dim, m, efc, k, ef, queries, clients, batch,
 * {@code kill-at} (kill -9 vectord once that many adds are acknowledged, through {@code fleet}; see {@link Build}).
 */
public final class ScaleVectors {
    static final MediaType JSON = MediaType.get("application/json");
    /**
     * TCP_NODELAY: a search body (~8 KB of floats) leaves in more than one segment, and with Nagle on, the last
     * one waited for the gateway's delayed ACK (~40 ms) — the 19-22 QPS this client measured while curl (which
     * sets it) took ~7 ms per query.
     */
    static final OkHttpClient HTTP = new OkHttpClient.Builder()
            .socketFactory(new NoDelaySockets())
            .readTimeout(Duration.ofMinutes(30)).writeTimeout(Duration.ofMinutes(5)).build();

    static final class NoDelaySockets extends javax.net.SocketFactory {
        private final javax.net.SocketFactory plain = javax.net.SocketFactory.getDefault();

        private static java.net.Socket noDelay(java.net.Socket s) throws java.net.SocketException {
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public java.net.Socket createSocket() throws IOException {
            return noDelay(plain.createSocket());
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws IOException {
            return noDelay(plain.createSocket(host, port));
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort) throws IOException {
            return noDelay(plain.createSocket(host, port, local, localPort));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) throws IOException {
            return noDelay(plain.createSocket(host, port));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress local, int localPort)
                throws IOException {
            return noDelay(plain.createSocket(address, port, local, localPort));
        }
    }

    private ScaleVectors() {}

    /** {@code key=value} arguments. */
    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            o.put(kv[0], kv[1]);
        }
        return o;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
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
            int killAt = Integer.parseInt(o.getOrDefault("kill-at", "0"));
            Build b = new Build(v, name, gen, n, batch, killAt, o.get("fleet"), o.get("gateway"));
            double buildS = b.run(clients);
            System.out.printf("build: %d x %d in %.1f s (%.0f vectors/s through the gateway, %d clients)%n", n, dim, buildS, n / buildS, clients);
            if (killAt > 0) {
                double net = buildS - b.recoveryS;
                System.out.printf("build without the kill's downtime: %.1f s (%.0f vectors/s); goal 300 s: %s%n",
                        net, n / net, net <= 300 ? "met" : "not met");
            }
            long s0 = System.nanoTime();
            JsonNode saved = expect(call("POST", v + "/index/" + name + "/save", null), 200);
            System.out.printf("save: one LHV1 PUT of %d bytes (%.1f MiB) in %.1f s (vectord: %d ms write+put)%n",
                    saved.get("last_save_bytes").asLong(), saved.get("last_save_bytes").asLong() / 1048576.0,
                    (System.nanoTime() - s0) / 1e9, saved.get("last_save_ms").asLong());
            List<List<String>> hits = search(v, name, gen, nq, k, ef);
            compareWithBruteForce(v, name, gen, Integer.parseInt(o.getOrDefault("exact_queries", "20")), k,
                    o.getOrDefault("efs", "40,64,80,160"));
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
            long used = heap(o.get("gateway"), "after restart+load");
            long raw = (long) n * dim * Float.BYTES;
            System.out.printf("heap after load / raw float bytes (%.2f GB): %.2f%n", raw / 1e9, used / (double) raw);
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

    /**
     * Recall@k and QPS of the graph walk per ef against vectord's exact scan ({@code "exact": true}), both timed
     * by this client over the same path (gateway → vectord, one client, one query at a time), on the first
     * {@code nq} queries; the scan's hits are the truth.
     */
    static void compareWithBruteForce(String v, String name, Generator gen, int nq, int k, String efs) throws IOException {
        List<Set<String>> truth = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int q = 0; q < nq; q++) {
            JsonNode r = expect(call("POST", v + "/index/" + name + "/search",
                    Map.of("vector", gen.vector(-1 - q), "k", k, "exact", true)), 200);
            Set<String> ids = new HashSet<>();
            r.get("hits").forEach(h -> ids.add(h.get("id").asText()));
            truth.add(ids);
        }
        double bf = nq / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("brute force (exact: true) through the gateway: %.1f QPS (%d queries, 1 client)%n", bf, nq);
        for (String e : efs.split(",")) {
            int ef = Integer.parseInt(e);
            byte[][] bodies = new byte[nq][];
            for (int q = 0; q < nq; q++) {
                bodies[q] = Json.bytes(Map.of("vector", gen.vector(-1 - q), "k", k, "ef", ef));
            }
            int found = 0;
            int runs = 0;
            long s0 = System.nanoTime();
            do { // at least 2 s of queries, so the QPS is not one query's noise
                found = 0;
                for (int q = 0; q < nq; q++) {
                    for (JsonNode h : expect(callRaw(v + "/index/" + name + "/search", bodies[q]), 200).get("hits")) {
                        found += truth.get(q).contains(h.get("id").asText()) ? 1 : 0;
                    }
                }
                runs++;
            } while (System.nanoTime() - s0 < 2_000_000_000L);
            double qps = runs * nq / ((System.nanoTime() - s0) / 1e9);
            System.out.printf("ef %d: recall@%d %.4f, %.0f QPS through the gateway = %.0fx brute force%n", ef, k,
                    found / (double) (nq * k), qps, qps / bf);
        }
    }

    /** Prints vectord's heap and returns the bytes in use (after a full GC if the caller just ran one). */
    static long heap(String gateway, String when) throws IOException {
        JsonNode h = call("GET", gateway + "/v1/vectors/health", null).body;
        JsonNode heap = h.get("heap");
        System.out.printf("vectord heap %s: peak %d MiB, used %d MiB, max %d MiB%n", when, heap.get("peak").asLong() >> 20,
                heap.get("used").asLong() >> 20, heap.get("max").asLong() >> 20);
        return heap.get("used").asLong();
    }

    /**
     * Adds items {@code 0..n-1} in batches from several clients. With {@code killAt > 0}, once that many are
     * acknowledged, vectord is kill -9'd while the clients' adds are in flight and restarted (WAL replay on top
     * of its latest snapshot); then every acknowledged batch must be there (its first and last id by GET, the
     * first with its exact vector) and the count must lie between the acknowledged and the sent items. The
     * clients then resend what failed (puts are idempotent by id) and go on.
     */
    static final class Build {
        final String v;
        final String name;
        final Generator gen;
        final int n;
        final int batch;
        final int killAt;
        final String fleet;
        final String gateway;
        /** Requests hold it shared; the kill check holds it exclusively so no add slips in while it counts. */
        final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
        final AtomicBoolean killed = new AtomicBoolean();
        final ConcurrentLinkedQueue<Integer> acked = new ConcurrentLinkedQueue<>();
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile double recoveryS;
        /** The vectors {@code 0..n-1}, generated before the clock starts. */
        float[][] rows;
        /** Set by a failed kill check; stops the clients. */
        volatile Exception failure;

        Build(String v, String name, Generator gen, int n, int batch, int killAt, String fleet, String gateway) {
            this.v = v;
            this.name = name;
            this.gen = gen;
            this.n = n;
            this.batch = batch;
            this.killAt = killAt;
            this.fleet = fleet;
            this.gateway = gateway;
        }

        double run(int clients) throws Exception {
            // the data source, before the clock: the generator costs ~70 CPU-s at 500K x 768, which on a 2-core
            // machine was taken from vectord during the timed build (the C++ reference reads its file first too)
            long g0 = System.nanoTime();
            rows = new float[n][];
            java.util.stream.IntStream.range(0, n).parallel().forEach(i -> rows[i] = gen.vector(i));
            System.out.printf("generated %d vectors client-side in %.1f s (before the build's clock)%n", n, (System.nanoTime() - g0) / 1e9);
            AtomicInteger next = new AtomicInteger();
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                fs.add(pool.submit(() -> {
                    int from;
                    while ((from = next.getAndAdd(batch)) < n) {
                        List<Map<String, Object>> items = new ArrayList<>();
                        for (int i = from; i < Math.min(n, from + batch); i++) {
                            items.add(Map.of("id", "s" + i, "vector", rows[i], "metadata", Map.of("i", i)));
                        }
                        add(from, items);
                        int d = done.addAndGet(items.size());
                        if (d % 50_000 < batch) {
                            System.out.printf("  added %d/%d (%.0f vectors/s)%n", d, n, d / ((System.nanoTime() - t0) / 1e9));
                        }
                        if (killAt > 0 && d >= killAt && killed.compareAndSet(false, true)) {
                            pool.submit(this::killAndCheck); // on its own thread, so this client keeps adding
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.HOURS);
            if (failure != null) {
                throw failure;
            }
            return (System.nanoTime() - t0) / 1e9;
        }

        /** One batch until acknowledged; a failure is retried only once the kill has happened. */
        void add(int from, List<Map<String, Object>> items) throws IOException {
            while (true) {
                Reply r;
                gate.readLock().lock();
                try {
                    if (failure != null) {
                        throw new IllegalStateException("kill check failed", failure);
                    }
                    sent.accumulateAndGet(from + items.size(), Math::max);
                    try {
                        r = call("POST", v + "/index/" + name + "/add", Map.of("items", items));
                    } catch (IOException e) {
                        r = new Reply(-1, null);
                    }
                    if (r.status == 200) {
                        acked.add(from);
                        return;
                    }
                } finally {
                    gate.readLock().unlock();
                }
                if (!killed.get()) {
                    throw new IllegalStateException("add of " + from + ".. failed without a kill: " + r.status + " " + r.body);
                }
                sleep(200); // vectord is down or recovering; the gate holds this client until the check is done
            }
        }

        Void killAndCheck() {
            try {
                heap(gateway, "before the kill (build so far)");
                int ackedBefore = acked.size() * batch;
                fleetCmd("kill", "vectord");
                System.out.printf("== kill -9 vectord during the build (~%d acknowledged, adds in flight)%n", ackedBefore);
                gate.writeLock().lock(); // the in-flight adds have failed by now; no new ones until the check is done
                try {
                    long r0 = System.nanoTime();
                    fleetCmd("start", "vectord"); // returns when healthy or after its own 120 s wait
                    while (call("GET", gateway + "/v1/vectors/health", null).status != 200) {
                        if (System.nanoTime() - r0 > Duration.ofMinutes(30).toNanos()) {
                            throw new IllegalStateException("vectord not healthy 30 min after the kill");
                        }
                        sleep(500);
                    }
                    recoveryS = (System.nanoTime() - r0) / 1e9;
                    JsonNode info = expect(call("GET", v + "/index/" + name, null), 200);
                    System.out.printf("recovery after kill -9 (start to healthy): %.1f s; snapshot covered WAL seq %d, "
                                    + "replayed %d WAL records to seq %d, wal_problem %s%n", recoveryS,
                            info.path("snapshot_seq").asLong(), info.path("replayed_records").asLong(),
                            info.path("wal_seq").asLong(), info.path("wal_problem").isMissingNode() ? "none" : info.get("wal_problem"));
                    check(info.get("count").asInt());
                    heap(gateway, "after the kill's recovery");
                } finally {
                    gate.writeLock().unlock();
                }
            } catch (Exception e) {
                failure = e;
                System.out.println("SCALE CHECK FAILED: " + e);
            }
            return null;
        }

        void check(int count) throws IOException {
            List<Integer> batches = new ArrayList<>(acked);
            int ackedItems = 0;
            int missing = 0;
            int wrong = 0;
            for (int from : batches) {
                int last = Math.min(n, from + batch) - 1;
                ackedItems += last - from + 1;
                Reply first = call("GET", v + "/index/" + name + "/items/s" + from + "?vector=true", null);
                Reply end = call("GET", v + "/index/" + name + "/items/s" + last, null);
                missing += (first.status == 200 ? 0 : 1) + (end.status == 200 ? 0 : 1);
                if (first.status == 200 && !sameUnit(gen.vector(from), first.body.get("vector"))) {
                    wrong++;
                }
            }
            int sentItems = Math.min(n, sent.get());
            System.out.printf("after the kill: %d acknowledged batches (%d items), count %d (at most %d sent); "
                            + "first+last id of every acknowledged batch: %d missing, %d wrong vectors%n",
                    batches.size(), ackedItems, count, sentItems, missing, wrong);
            if (missing > 0 || wrong > 0 || count < ackedItems || count > sentItems) {
                throw new IllegalStateException("acknowledged adds lost or altered by the kill");
            }
            System.out.println("every acknowledged add survived the kill");
        }

        void fleetCmd(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(fleet));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
        }

        static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The stored vector of a cosine index is the generated one at unit length. */
    static boolean sameUnit(float[] raw, JsonNode stored) {
        double norm = 0;
        for (float x : raw) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        if (stored == null || stored.size() != raw.length) {
            return false;
        }
        for (int d = 0; d < raw.length; d++) {
            if (Math.abs(raw[d] / norm - stored.get(d).asDouble()) > 1e-5) {
                return false;
            }
        }
        return true;
    }

    record Reply(int status, JsonNode body) {}

    static Reply callRaw(String url, byte[] json) throws IOException {
        try (Response r = HTTP.newCall(new Request.Builder().url(url).post(RequestBody.create(json, JSON)).build()).execute()) {
            byte[] b = r.body().bytes();
            return new Reply(r.code(), b.length == 0 ? null : Json.MAPPER.readTree(b));
        }
    }

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
