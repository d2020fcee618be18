package dev.lakehouse.bench.vectorwrites;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.vectord.VectordMain;
import dev.lakehouse.vectord.engine.ClusteredVectors;
import dev.lakehouse.vectord.engine.VectorItem;
import dev.lakehouse.vectord.wal.WalOp;
import dev.lakehouse.vectord.wal.WalRecord;
import dev.lakehouse.vectord.wal.WalStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import dev.lakehouse.common.auth.FleetCredential;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@code just bench vector-writes}: what the WAL costs. Two vectord instances run in this JVM on the fleet's
 * storaged — one durable (every batch in the WAL before its 200), one with {@code vectord.wal=false} (the
 * reference: acknowledged adds live only in memory until a snapshot) — and the same adds go to both,
 * alternating, at batch 1, 64 and 1,000 (1 client, and batch 1 with 4 clients for group commit). Then, on the
 * durable one: snapshot time and the add pause at {@code snapshot_n} × dim ({@code pause_clients} clients add
 * throughout; p50/p99/max add latency and adds/s outside the snapshot, during its freeze and during its PUT), and
 * recovery time of that snapshot + {@code wal_records} WAL records.
 *
 * <p>Args ({@code key=value}): {@code storaged=URL} (required), {@code dim=768}, {@code snapshot_n=20000},
 * {@code wal_records=10000}, {@code rounds=2}, {@code pause_clients=4}, {@code only=recovery} (skip the throughput
 * cases), {@code only=pause} (skip the throughput cases and recovery).
 */
public final class VectorWritesBench {
    static OkHttpClient HTTP = new OkHttpClient.Builder().readTimeout(Duration.ofMinutes(10)).build();
    /** The fleet's secrets file: its credential signs the bench's calls and the in-process vectords' (ADR 0017). */
    static Path secrets;
    static FleetCredential credential;
    static final MediaType JSON = MediaType.get("application/json");

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String s : args) {
            int eq = s.indexOf('=');
            if (eq > 0) {
                a.put(s.substring(0, eq), s.substring(eq + 1));
            }
        }
        String storaged = a.get("storaged");
        secrets = Path.of(a.getOrDefault("secrets", "run/secrets.toml"));
        credential = FleetCredential.load(secrets);
        HTTP = credential.signing(HTTP);
        int dim = Integer.parseInt(a.getOrDefault("dim", "768"));
        int snapshotN = Integer.parseInt(a.getOrDefault("snapshot_n", "20000"));
        int walRecords = Integer.parseInt(a.getOrDefault("wal_records", "10000"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "2"));
        Path tmp = Files.createTempDirectory("bench-vector-writes");
        ServiceApp durable = vectord(storaged, tmp.resolve("d"), true);
        ServiceApp plain = vectord(storaged, tmp.resolve("p"), false);
        String run = Long.toString(System.currentTimeMillis(), 36);
        System.out.printf("vector-writes: dim %d, M 16, ef_construction 100, l2; durable vs vectord.wal=false, %d rounds "
                + "alternating which goes first%n", dim, rounds);
        // only=recovery skips the throughput cases (snapshot and recovery figures alone); only=pause also recovery
        int[][] cases = a.containsKey("only") ? new int[0][]
                : new int[][] {{1, 1, 200}, {1, 4, 400}, {64, 1, 1280}, {1000, 1, 3000}};
        for (int[] c : cases) {
            int batch = c[0];
            int clients = c[1];
            int n = c[2];
            float[][] data = ClusteredVectors.generate(n, dim, 50, 0.5f, batch * 31L + clients);
            double d = 0;
            double p = 0;
            for (int r = 0; r < rounds; r++) {
                boolean durableFirst = r % 2 == 0;
                String idx = "w" + run + "b" + batch + "c" + clients + "r" + r;
                double first = addRate(durableFirst ? durable : plain, (durableFirst ? "d" : "p") + idx, data, batch, clients);
                double second = addRate(durableFirst ? plain : durable, (durableFirst ? "p" : "d") + idx, data, batch, clients);
                d += durableFirst ? first : second;
                p += durableFirst ? second : first;
            }
            System.out.printf("batch %4d x %d client(s): durable %7.1f vec/s, without WAL %7.1f vec/s, ratio %.2f%n",
                    batch, clients, d / rounds, p / rounds, d / p);
        }

        String big = "s" + run;
        float[][] data = ClusteredVectors.generate(snapshotN, dim, 1000, 0.5f, 7);
        long t0 = System.nanoTime();
        addRate(durable, big, data, 1000, 2);
        System.out.printf("built %d x %d (durable, batch 1000, 2 clients) in %.1f s%n", snapshotN, dim, (System.nanoTime() - t0) / 1e9);
        float[][] extra = ClusteredVectors.generate(2000, dim, 10, 0.5f, 8);
        snapshotPause(durable, big, extra, snapshotN, Integer.parseInt(a.getOrDefault("pause_clients", "4")));
        if ("pause".equals(a.get("only"))) {
            HTTP.newCall(new Request.Builder().url(durable.baseUrl() + "/index/" + big).delete().build()).execute().close();
            durable.close();
            plain.close();
            System.exit(0);
        }

        // recovery: the snapshot + walRecords records after it, written as vectord writes them (one item each)
        post(durable, "/index/" + big + "/add", Map.of("items", List.of(Map.of("id", "probe", "vector", extra[0]))));
        StorageClient storage = new StorageClient(storaged, credential);
        WalStore wal = new WalStore(storage);
        WalStore.Entry last = wal.list(big).get(wal.list(big).size() - 1);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> puts = new ArrayList<>();
        float[][] tail = ClusteredVectors.generate(walRecords, dim, 100, 0.5f, 9);
        for (int i = 0; i < walRecords; i++) {
            long seq = last.sequence() + 1 + i;
            VectorItem item = new VectorItem("r" + i, tail[i], null);
            puts.add(writers.submit(() -> wal.put(big, new WalRecord(last.incarnation(), seq, List.of(new WalOp.Put(item))))));
        }
        for (Future<?> p : puts) {
            p.get();
        }
        writers.shutdown();
        durable.close();
        plain.close();
        // closing takes a shutdown snapshot, covering what that instance applied (not the records written above)
        long r0 = System.nanoTime();
        ServiceApp recovered = vectord(storaged, tmp.resolve("r"), true);
        double recoverS = (System.nanoTime() - r0) / 1e9;
        JsonNode ri = get(recovered, "/index/" + big);
        System.out.printf("recovery (start to healthy) of %d items + %d WAL records replayed: %.1f s%n",
                ri.get("count").asInt(), ri.get("replayed_records").asInt(), recoverS);
        for (String idx : List.of(big)) {
            HTTP.newCall(new Request.Builder().url(recovered.baseUrl() + "/index/" + idx).delete().build()).execute().close();
        }
        recovered.close();
        System.exit(0);
    }

    /**
     * Single-item adds from {@code clients} threads run before, during and after a forced snapshot of {@code idx};
     * every add's latency is filed by when it ran: wholly before or after the snapshot call ("outside"), or
     * overlapping its freeze (the graph written to the temp file: applies wait; taken as the first
     * {@code last_snapshot_pause_ms} of the call) or the rest of it (the PUT and the WAL clean-up).
     */
    static void snapshotPause(ServiceApp app, String idx, float[][] extra, int n, int clients) throws Exception {
        ConcurrentLinkedQueue<long[]> adds = new ConcurrentLinkedQueue<>();
        AtomicBoolean run = new AtomicBoolean(true);
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            fs.add(pool.submit(() -> {
                while (run.get()) {
                    long i = next.getAndIncrement();
                    long s = System.nanoTime();
                    post(app, "/index/" + idx + "/add",
                            Map.of("items", List.of(Map.of("id", "x" + i, "vector", extra[(int) (i % extra.length)]))));
                    adds.add(new long[] {s, System.nanoTime()});
                }
                return null;
            }));
        }
        Thread.sleep(5000); // adds before the snapshot: the reference
        long s0 = System.nanoTime();
        JsonNode info = post(app, "/index/" + idx + "/save", Map.of());
        long s1 = System.nanoTime();
        Thread.sleep(5000);
        run.set(false);
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        long pauseMs = info.get("last_snapshot_pause_ms").asLong();
        long freezeEnd = s0 + pauseMs * 1_000_000;
        List<Long> outside = new ArrayList<>();
        List<Long> freeze = new ArrayList<>();
        List<Long> put = new ArrayList<>();
        for (long[] t : adds) {
            long lat = t[1] - t[0];
            if (t[1] < s0 || t[0] > s1) {
                outside.add(lat);
            } else if (t[0] < freezeEnd) {
                freeze.add(lat);
            } else {
                put.add(lat);
            }
        }
        long first = adds.stream().mapToLong(t -> t[0]).min().orElse(s0);
        long last = adds.stream().mapToLong(t -> t[1]).max().orElse(s1);
        long outsideSpan = (s0 - first) + (last - s1);
        // adds finished per second within each window (completions, so a freeze shows as a dip then a burst)
        long inFreeze = adds.stream().filter(t -> t[1] >= s0 && t[1] < freezeEnd).count();
        long inPut = adds.stream().filter(t -> t[1] >= freezeEnd && t[1] <= s1).count();
        long outsideDone = adds.stream().filter(t -> t[1] < s0 || t[1] > s1).count();
        System.out.printf("snapshot of %d x %d with %d clients adding one item at a time: %.1f s in all (%d bytes; "
                        + "freeze, adds wait %d ms; put %d ms)%n", n, extra[0].length, clients, (s1 - s0) / 1e9,
                info.get("last_save_bytes").asLong(), pauseMs, info.get("last_save_ms").asLong() - pauseMs);
        System.out.printf("snapshot add latency outside  : %s; %.1f adds/s%n", stats(outside), outsideDone / (outsideSpan / 1e9));
        System.out.printf("snapshot add latency in freeze: %s; %.1f adds/s finished%n", stats(freeze),
                inFreeze / Math.max(1e-3, pauseMs / 1e3));
        System.out.printf("snapshot add latency in put + WAL clean-up: %s; %.1f adds/s%n", stats(put),
                inPut / Math.max(1e-3, (s1 - freezeEnd) / 1e9));
    }

    static String stats(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return "no adds";
        }
        long[] v = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format("%4d adds, p50 %5d ms, p99 %5d ms, max %5d ms", v.length, v[v.length / 2] / 1_000_000,
                v[Math.min(v.length - 1, (int) Math.ceil(v.length * 0.99) - 1)] / 1_000_000, v[v.length - 1] / 1_000_000);
    }

    static ServiceApp vectord(String storaged, Path tmp, boolean wal) throws Exception {
        ServiceApp app = VectordMain.start(Config.of(Map.of("vectord.port", "0", "http.shutdown_hook", "false",
                "storaged.url", storaged, "embedd.url", "http://127.0.0.1:9", "vectord.tmp_dir", tmp.toString(),
                "vectord.wal", String.valueOf(wal), "vectord.snapshot_wal_bytes", String.valueOf(Long.MAX_VALUE),
                "vectord.snapshot_max_age", "24h", "secrets_file", secrets.toString())));
        while (true) {
            try (Response r = HTTP.newCall(new Request.Builder().url(app.baseUrl() + "/health").build()).execute()) {
                if (r.code() == 200) {
                    return app;
                }
            }
            Thread.sleep(20);
        }
    }

    /** Creates {@code idx} and adds {@code data} in batches from {@code clients} threads; vectors/s. */
    static double addRate(ServiceApp app, String idx, float[][] data, int batch, int clients) throws Exception {
        post(app, "/index", Map.of("name", idx, "dim", data[0].length, "distance", "l2", "m", 16, "ef_construction", 100));
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong next = new AtomicLong();
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            fs.add(pool.submit(() -> {
                long from;
                while ((from = next.getAndAdd(batch)) < data.length) {
                    List<Object> items = new ArrayList<>(batch);
                    for (long i = from; i < Math.min(data.length, from + batch); i++) {
                        items.add(Map.of("id", "v" + i, "vector", data[(int) i]));
                    }
                    post(app, "/index/" + idx + "/add", Map.of("items", items));
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double rate = data.length / ((System.nanoTime() - t0) / 1e9);
        if (!idx.startsWith("s")) {
            HTTP.newCall(new Request.Builder().url(app.baseUrl() + "/index/" + idx).delete().build()).execute().close();
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        return rate;
    }

    static JsonNode post(ServiceApp app, String path, Object body) throws IOException {
        Request r = new Request.Builder().url(app.baseUrl() + path).post(RequestBody.create(Json.bytes(body), JSON)).build();
        try (Response resp = HTTP.newCall(r).execute()) {
            byte[] b = resp.body().bytes();
            if (resp.code() >= 300) {
                throw new IOException(path + " -> " + resp.code() + ": " + new String(b));
            }
            return b.length == 0 ? null : Json.MAPPER.readTree(b);
        }
    }

    static JsonNode get(ServiceApp app, String path) throws IOException {
        try (Response resp = HTTP.newCall(new Request.Builder().url(app.baseUrl() + path).build()).execute()) {
            return Json.MAPPER.readTree(resp.body().bytes());
        }
    }
}
