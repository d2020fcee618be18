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
import okhttp3.RequestBody;

/**
 * Mixed load through the gateway (object PUT/GET, CSV ingest, SQL, vector add/search) while each backend
 * in turn is killed with SIGKILL and restarted. Afterwards every acknowledged write is checked: objects
 * byte-identical, ingested versions listed with their files present, vectors findable; and no Parquet
 * file under the run's datasets is unreferenced by a manifest (no orphans, no half-registered dataset).
 * The embedded S3 server (devs3) is among the victims. Object PUTs and ingests are retried by the client with
 * the same {@code Idempotency-Key} until acknowledged, and afterwards each ingest batch (its {@code label}) must
 * hold its rows exactly once: 0 lost, 0 duplicated. Last, nothing may be left behind: no object under the run's
 * prefix that the client did not write, no temp file or multipart upload in devs3's directory, an empty spool.
 *
 * <p>Usage: {@code Chaos [gatewayUrl] [secondsPerBackend] [workers]}. Loopback only; bounded in time.
 */
public final class Chaos {
    static final List<String> VICTIMS = List.of("storaged", "devs3", "catalogd", "ingestd", "queryd", "vectord", "embedd");
    /** How long a client keeps retrying one unacknowledged write (same Idempotency-Key) before giving up. */
    static final long RETRY_NANOS = Duration.ofSeconds(45).toNanos();
    static final int DIM = 16;

    final Api api;
    final String run = "c" + Long.toString(System.currentTimeMillis(), 36);
    final String index = "chaos_" + run;
    final Map<String, String> objects = new ConcurrentHashMap<>();          // key → sha-256
    final Map<String, float[]> vectors = new ConcurrentHashMap<>();         // id → vector
    final Map<String, Set<Integer>> versions = new ConcurrentHashMap<>();   // dataset → acked versions
    final Map<String, Integer> batches = new ConcurrentHashMap<>();         // acked ingest batch → rows
    final Map<String, Integer> unacked = new ConcurrentHashMap<>();         // batch given up on → rows
    final Set<String> putKeys = ConcurrentHashMap.newKeySet();              // every object key sent
    final AtomicLong retries = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong writesSent = new AtomicLong();
    final AtomicLong writesAcked = new AtomicLong();
    volatile boolean stop;

    Chaos(Api api) {
        this.api = api;
    }

    public static void main(String[] args) throws Exception {
        int perVictim = Fleet.intArg(args, 1, 8);
        int workers = Fleet.intArg(args, 2, 4);
        Fleet fleet = Fleet.awaitHealthy(args, Duration.ofSeconds(90));
        Chaos chaos = new Chaos(new Api(fleet.gateway()));
        chaos.api.createL2Index(chaos.index, DIM);

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
        int left = chaos.leftovers(fleet, Path.of(System.getenv().getOrDefault("LAKEHOUSE_DATA_DIR",
                Path.of(System.getProperty("lakehouse.root", ".")).resolve("data").toString())));
        System.exit(lost + left == 0 ? 0 : 1);
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
        // one PUT in 25 is a 9 MiB chunked body: storaged streams it as a multipart upload, which a kill can leak
        boolean big = rnd.nextInt(25) == 0;
        byte[] data = new byte[big ? 9 << 20 : 1024 + rnd.nextInt(32 * 1024)];
        rnd.nextBytes(data);
        String key = "chaos/" + run + "/" + UUID.randomUUID();
        putKeys.add(key);
        writesSent.incrementAndGet();
        String idem = UUID.randomUUID().toString();
        if (untilAcked(() -> api.send("PUT", "/v1/storage/objects/" + key, big ? chunked(data) : RequestBody.create(data, Api.OCTETS), idem))) {
            objects.put(key, sha(data));
            writesAcked.incrementAndGet();
            return true;
        }
        return false;
    }

    /** A body of unknown length (Transfer-Encoding: chunked). */
    static RequestBody chunked(byte[] data) {
        return new RequestBody() {
            @Override
            public okhttp3.MediaType contentType() {
                return Api.OCTETS;
            }

            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void writeTo(okio.BufferedSink sink) throws java.io.IOException {
                sink.write(data);
            }
        };
    }

    interface Attempt {
        Api.Reply send() throws Exception;
    }

    /**
     * Sends a write until it is acknowledged (2xx), as a careful client does: same request, same Idempotency-Key,
     * on a cut connection, a 5xx or a 409 in-flight. Gives up on any other 4xx or after {@link #RETRY_NANOS}.
     */
    boolean untilAcked(Attempt attempt) throws InterruptedException {
        long deadline = System.nanoTime() + RETRY_NANOS;
        for (int n = 0; ; n++) {
            if (n > 0) {
                retries.incrementAndGet();
                Thread.sleep(Math.min(2000, 100L << Math.min(n, 5)));
            }
            try {
                Api.Reply r = attempt.send();
                if (r.ok()) {
                    return true;
                }
                boolean retryable = r.status() >= 500 || r.status() == 409 && new String(r.body()).contains("in_flight");
                if (!retryable) {
                    return false;
                }
            } catch (Exception cut) {
                // connection refused or cut: the outcome is unknown, so the same request goes again
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
        }
    }

    boolean getObject(SplittableRandom rnd) throws Exception {
        List<String> keys = new ArrayList<>(objects.keySet());
        return keys.isEmpty() || api.get("/v1/storage/objects/" + keys.get(rnd.nextInt(keys.size()))).ok();
    }

    String dataset(SplittableRandom rnd) {
        return "chaos_" + run + "_" + rnd.nextInt(3);
    }

    boolean ingest(SplittableRandom rnd) throws Exception {
        // one batch = one label: afterwards each acknowledged batch must hold its rows exactly once
        String batch = "b" + UUID.randomUUID().toString().substring(0, 12);
        StringBuilder csv = new StringBuilder("id,amount,label\n");
        int rows = 20 + rnd.nextInt(200);
        for (int i = 0; i < rows; i++) {
            csv.append(rnd.nextInt(1_000_000)).append(',').append(rnd.nextInt(10_000) / 100.0).append(',').append(batch).append('\n');
        }
        String ds = dataset(rnd);
        writesSent.incrementAndGet();
        Api.Reply[] last = new Api.Reply[1];
        boolean ok = untilAcked(() -> last[0] = api.send("POST", "/v1/ingest/" + ds, RequestBody.create(csv.toString(), Api.CSV), batch));
        if (ok) {
            versions.computeIfAbsent(ds, k -> ConcurrentHashMap.newKeySet()).add(last[0].json().path("version").asInt());
            batches.put(ds + "/" + batch, rows);
            writesAcked.incrementAndGet();
            return true;
        }
        unacked.put(ds + "/" + batch, rows);
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
                // catalogd's Iceberg metadata (datasets/{name}/metadata/, ADR 0023) is not a data file
                if (!referenced.contains(o.path("key").asText()) && !o.path("key").asText().contains("/metadata/")) {
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
        int[] rowsCheck = verifyBatches(lost);
        lost.stream().limit(20).forEach(l -> System.out.println("LOST " + l));
        long ackedVersions = versions.values().stream().mapToLong(Set::size).sum();
        System.out.printf("chaos: requests sent %d, acknowledged %d; writes sent %d, acknowledged %d "
                        + "(objects %d, dataset versions %d, vectors %d); verified %d, lost %d, orphan parquet %d%n",
                sent.get(), acked.get(), writesSent.get(), writesAcked.get(), objects.size(), ackedVersions,
                vectors.size(), verified, lost.size(), orphans);
        System.out.printf("chaos: client retries %d (answered by a replay of the original outcome: %d); ingest batches acknowledged %d (%d rows): lost %d, duplicated %d; "
                        + "batches given up %d, of which landed once %d, duplicated %d%n",
                retries.get(), api.replays.get(), batches.size(), batches.values().stream().mapToLong(Integer::longValue).sum(),
                rowsCheck[0], rowsCheck[1], unacked.size(), rowsCheck[2], rowsCheck[3]);
        return lost.size() + orphans + rowsCheck[1] + rowsCheck[3];
    }

    /**
     * Counts each batch's rows in the latest version of its dataset (SQL through the gateway). Returns {acked
     * batches lost, acked batches duplicated, given-up batches that landed once, given-up batches duplicated}.
     */
    int[] verifyBatches(List<String> lost) throws Exception {
        Map<String, Long> counted = new java.util.HashMap<>();
        for (String ds : datasetsOf(batches, unacked)) {
            Api.Reply r = api.postJson("/v1/sql", Map.of("sql", "SELECT label, count(*) FROM " + ds + " GROUP BY label"));
            if (!r.ok()) {
                lost.add("dataset " + ds + " not queryable -> " + r.status());
                continue;
            }
            for (JsonNode row : r.json().path("rows")) {
                counted.put(ds + "/" + row.get(0).asText(), row.get(1).asLong());
            }
        }
        int[] out = new int[4];
        for (Map.Entry<String, Integer> b : batches.entrySet()) {
            long n = counted.getOrDefault(b.getKey(), 0L);
            if (n < b.getValue()) {
                out[0]++;
                lost.add("batch " + b.getKey() + ": " + n + " of " + b.getValue() + " rows");
            } else if (n > b.getValue()) {
                out[1]++;
                System.out.println("DUPLICATED batch " + b.getKey() + ": " + n + " rows, sent " + b.getValue());
            }
        }
        for (Map.Entry<String, Integer> b : unacked.entrySet()) {
            long n = counted.getOrDefault(b.getKey(), 0L);
            if (n == b.getValue()) {
                out[2]++;
            } else if (n > b.getValue()) {
                out[3]++;
                System.out.println("DUPLICATED unacknowledged batch " + b.getKey() + ": " + n + " rows, sent " + b.getValue());
            }
        }
        return out;
    }

    private static Set<String> datasetsOf(Map<String, Integer> a, Map<String, Integer> b) {
        Set<String> out = new java.util.TreeSet<>();
        for (String k : a.keySet()) {
            out.add(k.substring(0, k.indexOf('/')));
        }
        for (String k : b.keySet()) {
            out.add(k.substring(0, k.indexOf('/')));
        }
        return out;
    }

    /**
     * What the run left behind: objects under its prefix the client never sent, devs3 temp files and multipart
     * uploads (waiting for storaged's janitor, whose grace the chaos fleet sets short), and spool files.
     */
    int leftovers(Fleet fleet, Path dataDir) throws Exception {
        int stray = 0;
        String cursor = null;
        do {
            Api.Reply r = api.get("/v1/storage/objects?prefix=chaos/" + run + "/&limit=1000"
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8)));
            for (JsonNode o : r.json().path("objects")) {
                if (!putKeys.contains(o.path("key").asText())) {
                    stray++;
                    System.out.println("STRAY object " + o.path("key").asText());
                }
            }
            cursor = r.json().path("next_cursor").isMissingNode() || r.json().path("next_cursor").isNull()
                    ? null : r.json().path("next_cursor").asText();
        } while (cursor != null);
        Path bucket = dataDir.resolve("s3").resolve("lakehouse-primary");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long temps;
        long uploads;
        do {
            temps = countFiles(bucket, p -> p.getFileName().toString().matches(".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
            uploads = countFiles(bucket, p -> p.getFileName().toString().startsWith(".mpus-") && p.getFileName().toString().endsWith("-stub"));
            if (temps + uploads == 0) {
                break;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        Path spool = dataDir.resolve("ingest-spool");
        long spoolFiles = countFiles(spool, p -> !p.getFileName().toString().equals(".ingestd.lock"));
        System.out.printf("chaos: leftovers: stray objects %d, devs3 temp files %d, multipart uploads %d, spool files %d%n",
                stray, temps, uploads, spoolFiles);
        return (int) (stray + temps + uploads + spoolFiles);
    }

    private static long countFiles(Path dir, java.util.function.Predicate<Path> which) throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return 0;
        }
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dir)) {
            return walk.filter(java.nio.file.Files::isRegularFile).filter(which).count();
        }
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
