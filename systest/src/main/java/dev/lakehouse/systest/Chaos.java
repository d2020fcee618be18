package dev.lakehouse.systest;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mixed load through the gateway (object PUT/GET, CSV ingest, SQL, vector add/search) while each backend
 * in turn is killed with SIGKILL and restarted. Afterwards every acknowledged write is checked: objects
 * byte-identical, ingested versions listed with their files present, vectors findable; and no Parquet
 * file under the run's datasets is unreferenced by a manifest (no orphans, no half-registered dataset).
 *
 * <p>Usage: {@code Chaos [gatewayUrl] [secondsPerBackend] [workers]}. Loopback only; bounded in time.
 */
public final class Chaos {
    static final List<String> VICTIMS = List.of("storaged", "catalogd", "ingestd", "queryd", "vectord", "embedd");
    static final int DIM = 16;

    final Api api;
    final String run = "c" + Long.toString(System.currentTimeMillis(), 36);
    final String index = "chaos_" + run;
    final Map<String, String> objects = new ConcurrentHashMap<>();          // key → sha-256
    final Map<String, float[]> vectors = new ConcurrentHashMap<>();         // id → vector
    final Map<String, Set<Integer>> versions = new ConcurrentHashMap<>();   // dataset → acked versions
    final AtomicLong sent = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong writesSent = new AtomicLong();
    final AtomicLong writesAcked = new AtomicLong();
    volatile boolean stop;

    Chaos(Api api) {
        this.api = api;
    }

    public static void main(String[] args) throws Exception {
        String gw = args.length > 0 ? args[0] : "http://127.0.0.1:3110";
        int perVictim = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Fleet fleet = new Fleet(Path.of(System.getProperty("lakehouse.root", ".")), gw);
        fleet.awaitHealthy(Duration.ofSeconds(90));
        Chaos chaos = new Chaos(new Api(gw));
        LoadCheck.require(chaos.api.postJson("/v1/vectors/index", Map.of("name", chaos.index, "dim", DIM, "distance", "l2")),
                "create chaos index");

        ExecutorService pool = Executors.newFixedThreadPool(workers);
        for (int w = 0; w < workers; w++) {
            int seed = w;
            pool.submit(() -> chaos.work(new SplittableRandom(seed)));
        }
        long t0 = System.nanoTime();
        Thread.sleep(3000);
        for (String victim : VICTIMS) {
            System.out.printf("chaos: kill -9 %s at %.1fs%n", victim, (System.nanoTime() - t0) / 1e9);
            fleet.kill9(victim);
            Thread.sleep(1500);
            fleet.start(victim);
            Thread.sleep(perVictim * 1000L);
        }
        chaos.stop = true;
        pool.shutdown();
        pool.awaitTermination(2, TimeUnit.MINUTES);
        fleet.awaitHealthy(Duration.ofSeconds(120));
        System.out.printf("chaos: load ran %.1fs; verifying acknowledged writes%n", (System.nanoTime() - t0) / 1e9);
        int lost = chaos.verify();
        System.exit(lost == 0 ? 0 : 1);
    }

    void work(SplittableRandom rnd) {
        while (!stop) {
            int op = rnd.nextInt(10);
            sent.incrementAndGet();
            try {
                boolean ok = switch (op) {
                    case 0, 1 -> putObject(rnd);
                    case 2 -> getObject(rnd);
                    case 3 -> ingest(rnd);
                    case 4 -> query(rnd);
                    case 5, 6 -> addVector(rnd);
                    default -> search(rnd);
                };
                if (ok) {
                    acked.incrementAndGet();
                }
            } catch (Exception e) {
                // a refused or cut request is fine during a kill; only acknowledged writes must survive
            }
        }
    }

    boolean putObject(SplittableRandom rnd) throws Exception {
        byte[] data = new byte[1024 + rnd.nextInt(32 * 1024)];
        rnd.nextBytes(data);
        String key = "chaos/" + run + "/" + UUID.randomUUID();
        writesSent.incrementAndGet();
        if (api.put("/v1/storage/objects/" + key, data).status() == 201) {
            objects.put(key, sha(data));
            writesAcked.incrementAndGet();
            return true;
        }
        return false;
    }

    boolean getObject(SplittableRandom rnd) throws Exception {
        List<String> keys = new ArrayList<>(objects.keySet());
        return keys.isEmpty() || api.get("/v1/storage/objects/" + keys.get(rnd.nextInt(keys.size()))).ok();
    }

    String dataset(SplittableRandom rnd) {
        return "chaos_" + run + "_" + rnd.nextInt(3);
    }

    boolean ingest(SplittableRandom rnd) throws Exception {
        StringBuilder csv = new StringBuilder("id,amount,label\n");
        int rows = 20 + rnd.nextInt(200);
        for (int i = 0; i < rows; i++) {
            csv.append(rnd.nextInt(1_000_000)).append(',').append(rnd.nextInt(10_000) / 100.0).append(",l").append(rnd.nextInt(50)).append('\n');
        }
        String ds = dataset(rnd);
        writesSent.incrementAndGet();
        Api.Reply r = api.postCsv("/v1/ingest/" + ds, csv.toString());
        if (r.status() == 201) {
            versions.computeIfAbsent(ds, k -> ConcurrentHashMap.newKeySet()).add(r.json().path("version").asInt());
            writesAcked.incrementAndGet();
            return true;
        }
        return false;
    }

    boolean query(SplittableRandom rnd) throws Exception {
        List<String> known = new ArrayList<>(versions.keySet());
        if (known.isEmpty()) {
            return true;
        }
        return api.postJson("/v1/sql", Map.of("sql", "SELECT count(*), sum(amount) FROM " + known.get(rnd.nextInt(known.size())))).ok();
    }

    /** Adds with {@code ?save=true}: vectord acknowledges a durable add only after its LHV1 save (plain adds are
     *  saved debounced, within vectord.save_max_delay), and durable acknowledgements are what this suite checks. */
    boolean addVector(SplittableRandom rnd) throws Exception {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        String id = UUID.randomUUID().toString();
        writesSent.incrementAndGet();
        if (api.postJson("/v1/vectors/index/" + index + "/add?save=true", Map.of("items", List.of(Map.of("id", id, "vector", v)))).ok()) {
            vectors.put(id, v);
            writesAcked.incrementAndGet();
            return true;
        }
        return false;
    }

    boolean search(SplittableRandom rnd) throws Exception {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return api.postJson("/v1/vectors/index/" + index + "/search", Map.of("vector", v, "k", 5)).ok();
    }

    /** Returns the number of acknowledged writes that are gone or damaged. */
    int verify() throws Exception {
        awaitPendingUploadsResolved(Duration.ofSeconds(120));
        int verified = 0;
        List<String> lost = new ArrayList<>();
        for (Map.Entry<String, String> e : objects.entrySet()) {
            Api.Reply r = api.get("/v1/storage/objects/" + e.getKey());
            if (r.status() == 200 && sha(r.body()).equals(e.getValue())) {
                verified++;
            } else {
                lost.add("object " + e.getKey() + " -> " + r.status());
            }
        }
        int orphans = 0;
        for (Map.Entry<String, Set<Integer>> e : versions.entrySet()) {
            String ds = e.getKey();
            Set<String> referenced = new HashSet<>();
            for (int v : e.getValue()) {
                Api.Reply r = api.get("/v1/catalog/datasets/" + ds + "/versions/" + v);
                boolean ok = r.status() == 200;
                if (ok) {
                    for (JsonNode f : r.json().path("files")) {
                        String key = f.path("key").asText();
                        ok &= api.send("HEAD", "/v1/storage/objects/" + key, null).status() == 200;
                    }
                }
                if (ok) {
                    verified++;
                } else {
                    lost.add("dataset " + ds + " v" + v + " -> " + r.status());
                }
            }
            // every version the catalog has (acknowledged or not) references files; nothing else may exist
            Api.Reply latest = api.get("/v1/catalog/datasets/" + ds);
            int top = latest.status() == 200 ? latest.json().path("version").asInt() : 0;
            for (int v = 1; v <= top; v++) {
                Api.Reply r = api.get("/v1/catalog/datasets/" + ds + "/versions/" + v);
                if (r.status() == 200) {
                    r.json().path("files").forEach(f -> referenced.add(f.path("key").asText()));
                }
            }
            Api.Reply list = api.get("/v1/storage/objects?prefix=datasets/" + ds + "/&limit=1000");
            for (JsonNode o : list.json().path("objects")) {
                if (!referenced.contains(o.path("key").asText())) {
                    orphans++;
                    System.out.println("orphan parquet: " + o.path("key").asText());
                }
            }
        }
        for (Map.Entry<String, float[]> e : vectors.entrySet()) {
            Api.Reply r = api.postJson("/v1/vectors/index/" + index + "/search", Map.of("vector", e.getValue(), "k", 3));
            boolean found = false;
            if (r.ok()) {
                for (JsonNode hit : r.json().path("hits")) {
                    found |= hit.path("id").asText().equals(e.getKey());
                }
            }
            if (found) {
                verified++;
            } else {
                lost.add("vector " + e.getKey() + " -> " + r.status());
            }
        }
        lost.stream().limit(20).forEach(l -> System.out.println("LOST " + l));
        long ackedVersions = versions.values().stream().mapToLong(Set::size).sum();
        System.out.printf("chaos: requests sent %d, acknowledged %d; writes sent %d, acknowledged %d "
                        + "(objects %d, dataset versions %d, vectors %d); verified %d, lost %d, orphan parquet %d%n",
                sent.get(), acked.get(), writesSent.get(), writesAcked.get(), objects.size(), ackedVersions,
                vectors.size(), verified, lost.size(), orphans);
        return lost.size() + orphans;
    }

    /** ingestd resolves uploads whose outcome a crash left open (its janitor); wait for it before judging. */
    void awaitPendingUploadsResolved(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int left = -1;
        while (System.nanoTime() < deadline) {
            Api.Reply r = api.get("/v1/storage/objects?prefix=_ingest/pending/&limit=1000");
            left = r.ok() ? r.json().path("objects").size() : -1;
            if (left == 0) {
                return;
            }
            Thread.sleep(1000);
        }
        System.out.println("chaos: " + left + " upload intent(s) still pending after " + timeout);
    }

    static String sha(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
