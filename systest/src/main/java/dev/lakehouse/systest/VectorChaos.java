package dev.lakehouse.systest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * vectord's kill -9 proof: clients add and delete vectors through the gateway WITHOUT {@code ?save=true}
 * while vectord is killed with SIGKILL again and again at random moments; one more client forces a snapshot
 * every few hundred ms, so kills also land mid-snapshot, and with four writers a kill nearly always lands
 * mid-WAL-PUT. Then storaged and the S3 server are each killed once under the same load. Afterwards every
 * acknowledged add must be there by id with its exact vector (and found by search), and every acknowledged
 * delete must stay deleted. A request that failed or timed out has an unknown outcome and is not counted.
 *
 * <p>Usage: {@code VectorChaos [gatewayUrl] [vectordKills] [clients]} (defaults 20, 4). The fleet must be up.
 * Loopback only; bounded: the kills, then the verification, then exit (1 if anything was lost or resurrected).
 */
public final class VectorChaos {
    static final int DIM = 32;

    final Api api;
    final String index = "vchaos_" + Long.toString(System.currentTimeMillis(), 36);
    final String base = "/v1/vectors/index/" + index;
    final Map<String, float[]> live = new ConcurrentHashMap<>();
    final Set<String> deleted = ConcurrentHashMap.newKeySet();
    final AtomicLong addsAcked = new AtomicLong();
    final AtomicLong deletesAcked = new AtomicLong();
    final AtomicLong unknown = new AtomicLong();
    final AtomicLong snapshots = new AtomicLong();
    final List<String> lost = new ArrayList<>();
    volatile boolean stop;

    VectorChaos(Api api) {
        this.api = api;
    }

    public static void main(String[] args) throws Exception {
        int kills = Fleet.intArg(args, 1, 20);
        int clients = Fleet.intArg(args, 2, 4);
        Fleet fleet = Fleet.awaitHealthy(args, Duration.ofSeconds(90));
        VectorChaos chaos = new VectorChaos(new Api(fleet.gateway()));
        chaos.api.createL2Index(chaos.index, DIM);

        ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
        for (int c = 0; c < clients; c++) {
            int client = c;
            pool.submit(() -> chaos.write(client, new SplittableRandom(client)));
        }
        pool.submit(chaos::snapshotter);
        SplittableRandom rnd = new SplittableRandom(42);
        long t0 = System.nanoTime();
        for (int k = 1; k <= kills + 2; k++) {
            Thread.sleep(300 + rnd.nextInt(1700));
            String victim = k <= kills ? "vectord" : k == kills + 1 ? "storaged" : "devs3";
            System.out.printf("vector chaos: kill -9 %s (%d) at %.1fs; acked adds %d, deletes %d%n", victim, k,
                    (System.nanoTime() - t0) / 1e9, chaos.addsAcked.get(), chaos.deletesAcked.get());
            fleet.kill9(victim);
            fleet.start(victim);
        }
        Thread.sleep(2000);
        chaos.stop = true;
        pool.shutdown();
        pool.awaitTermination(2, TimeUnit.MINUTES);
        fleet.awaitHealthy(Duration.ofSeconds(120));
        System.out.printf("vector chaos: load ran %.1fs with %d snapshots forced; verifying%n",
                (System.nanoTime() - t0) / 1e9, chaos.snapshots.get());
        int bad = chaos.verify();
        System.exit(bad == 0 ? 0 : 1);
    }

    /** Adds batches of 1..16 new ids and deletes acknowledged ones (about one op in four). */
    void write(int client, SplittableRandom rnd) {
        long n = 0;
        List<String> mine = new ArrayList<>();
        while (!stop) {
            try {
                if (!mine.isEmpty() && rnd.nextInt(4) == 0) {
                    String id = mine.remove(rnd.nextInt(mine.size()));
                    Api.Reply r = api.delete(base + "/items/" + id);
                    if (r.status() == 204) {
                        live.remove(id);
                        deleted.add(id);
                        deletesAcked.incrementAndGet();
                    } else if (r.status() == 404 && healthyIndex()) {
                        synchronized (lost) {
                            lost.add("delete of acknowledged " + id + " answered 404: the add was lost");
                        }
                        live.remove(id);
                    } else {
                        live.remove(id); // unknown outcome: checked neither way
                        unknown.incrementAndGet();
                        pause();
                    }
                    continue;
                }
                int size = 1 + rnd.nextInt(16);
                List<Object> items = new ArrayList<>(size);
                Map<String, float[]> batch = new java.util.LinkedHashMap<>();
                for (int i = 0; i < size; i++) {
                    String id = "k" + client + "-" + n++;
                    float[] v = new float[DIM];
                    for (int d = 0; d < DIM; d++) {
                        v[d] = (float) rnd.nextDouble(-1, 1);
                    }
                    batch.put(id, v);
                    items.add(Map.of("id", id, "vector", v, "metadata", Map.of("c", client)));
                }
                Api.Reply r = api.postJson(base + "/add", Map.of("items", items));
                if (r.ok()) {
                    live.putAll(batch);
                    mine.addAll(batch.keySet());
                    addsAcked.addAndGet(size);
                } else {
                    unknown.addAndGet(size);
                    pause();
                }
            } catch (Exception e) {
                unknown.incrementAndGet(); // connection cut by a kill: outcome unknown
                pause();
            }
        }
    }

    boolean healthyIndex() {
        try {
            return api.get(base).ok();
        } catch (Exception e) {
            return false;
        }
    }

    void snapshotter() {
        while (!stop) {
            try {
                if (api.postJson(base + "/save", Map.of()).ok()) {
                    snapshots.incrementAndGet();
                }
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                pause();
            }
        }
    }

    /**
     * After a failure (vectord down or restarting): wait until vectord answers again, so the clients do not spend
     * the downtime making outcome-unknown requests (each such delete would drop an id from the check).
     */
    void pause() {
        while (!stop) {
            try {
                Thread.sleep(200);
                if (api.get("/v1/vectors/health").status() == 200) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // still down
            }
        }
    }

    int verify() throws Exception {
        int resurrected = 0;
        int searched = 0;
        int found = 0;
        for (Map.Entry<String, float[]> e : live.entrySet()) {
            Api.Reply r = api.get(base + "/items/" + e.getKey() + "?vector=true");
            if (r.status() != 200) {
                lost.add("acknowledged add " + e.getKey() + " -> " + r.status());
                continue;
            }
            JsonNode v = r.json().get("vector");
            float[] got = new float[v.size()];
            for (int i = 0; i < got.length; i++) {
                got[i] = v.get(i).floatValue();
            }
            if (!Arrays.equals(got, e.getValue())) {
                lost.add("acknowledged add " + e.getKey() + " came back with another vector");
            }
            if (searched < 200) {
                searched++;
                JsonNode hits = api.postJson(base + "/search", Map.of("vector", e.getValue(), "k", 1)).json().get("hits");
                if (hits.size() == 1 && hits.get(0).get("id").asText().equals(e.getKey())) {
                    found++;
                }
            }
        }
        for (String id : deleted) {
            if (api.get(base + "/items/" + id).status() != 404) {
                resurrected++;
                System.out.println("vector chaos: acknowledged delete resurrected: " + id);
            }
        }
        JsonNode info = api.get(base).json();
        lost.stream().limit(20).forEach(l -> System.out.println("vector chaos: LOST " + l));
        System.out.printf("vector chaos: acknowledged adds %d (%d checked live), deletes %d, unknown-outcome items %d; "
                        + "index count %d, wal_problem %s; lost %d, resurrected %d; search top-1 %d/%d%n",
                addsAcked.get(), live.size(), deletesAcked.get(), unknown.get(), info.path("count").asInt(),
                info.path("wal_problem").asText("none"), lost.size(), resurrected, found, searched);
        api.delete(base);
        return lost.size() + resurrected;
    }
}
