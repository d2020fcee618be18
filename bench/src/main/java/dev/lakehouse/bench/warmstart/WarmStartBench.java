package dev.lakehouse.bench.warmstart;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code just bench warmstart}: how long a freshly started gateway → storaged path takes to answer like a warm
 * one. Each run starts both JVMs cold (S3 stays up), times spawn → both {@code /health} 200 ("ready"), then
 * fires N sequential small-object GETs through the gateway and reports the mean latency of the first 1k and
 * 10k against the run's own steady state (its last {@code --steady} answers, after the first 10k), and the time from spawn until the 10,000th answer.
 * Variants: the jvm.env flags as they are ({@code plain}), plus an AppCDS archive of each service
 * ({@code cds}: {@code -XX:SharedArchiveFile}, dumped by a training run with {@code -XX:ArchiveClassesAtExit}),
 * and a warm-up of W requests before the service counts as ready ({@code warm}, its time included in ready).
 * Rounds rotate the variant order so the load of a shared machine hits all alike; medians are reported.
 *
 * <pre>WarmStartBench GATEWAY_URL WORK_DIR --gateway-jar J --storaged-jar J --gateway-opts "…" --storaged-opts "…"
 *     --storaged-url URL --log-dir DIR [--requests 12000] [--steady 2000] [--rounds 3] [--warmup 1000]</pre>
 */
public final class WarmStartBench {
    private WarmStartBench() {}

    record Run(String variant, double readyMs, double first1kUs, double first10kUs, double steadyUs, double to10kMs) {}

    public static void main(String[] args) throws Exception {
        String gateway = args[0];
        Path work = Path.of(args[1]);
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 2; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int requests = Integer.parseInt(a.getOrDefault("requests", "12000"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "1000"));
        int steady = Integer.parseInt(a.getOrDefault("steady", "2000"));
        if (requests < 10_000 + steady) {
            throw new IllegalArgumentException("--requests must be at least 10000 + --steady");
        }
        Files.createDirectories(work);
        Bench b = new Bench(gateway, a.get("storaged-url"), Path.of(a.get("log-dir")),
                a.get("gateway-jar"), a.get("storaged-jar"), a.get("gateway-opts"), a.get("storaged-opts"));
        Path gwJsa = work.resolve("gateway.jsa");
        Path sdJsa = work.resolve("storaged.jsa");

        // one object to read: put once through the gateway while a plain pair is up; it stays in S3
        System.out.printf("warmstart bench: %d GETs per run, %d rounds, warm-up %d, gateway %s%n", requests, rounds, warmup, gateway);
        b.start(List.of(), List.of());
        b.put("bench/warmstart/object", new byte[1024]);
        b.stop();
        // training run for the archives: start, a few requests, then SIGTERM
        Files.deleteIfExists(gwJsa);
        Files.deleteIfExists(sdJsa);
        // (as scripts/cds.sh does for `just cds`: start-up and a handful of requests, not a long load)
        b.start(List.of("-XX:ArchiveClassesAtExit=" + gwJsa, "-Xlog:cds=error"), List.of("-XX:ArchiveClassesAtExit=" + sdJsa, "-Xlog:cds=error"));
        b.fire(20);
        b.stop();
        System.out.printf("AppCDS archives: gateway %d KiB, storaged %d KiB%n", Files.size(gwJsa) / 1024, Files.size(sdJsa) / 1024);
        List<String> gwCds = List.of("-XX:SharedArchiveFile=" + gwJsa, "-Xshare:auto");
        List<String> sdCds = List.of("-XX:SharedArchiveFile=" + sdJsa, "-Xshare:auto");

        String[] variants = {"plain", "cds", "warm", "cds+warm"};
        List<Run> runs = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < variants.length; v++) {
                String variant = variants[(v + r) % variants.length];
                boolean cds = variant.startsWith("cds");
                long t0 = System.nanoTime();
                b.start(cds ? gwCds : List.of(), cds ? sdCds : List.of());
                if (variant.endsWith("warm")) {
                    b.fire(warmup);
                }
                double readyMs = (System.nanoTime() - t0) / 1e6;
                long[] lat = b.fire(requests);
                double to10k = readyMs + Arrays.stream(lat, 0, 10_000).sum() / 1e6;
                b.stop();
                Run run = new Run(variant, readyMs, mean(lat, 0, 1000), mean(lat, 0, 10_000), mean(lat, requests - steady, requests), to10k);
                runs.add(run);
                System.out.printf("  round %d %-9s ready %6.0f ms  first1k %6.0f us  first10k %5.0f us  steady %5.0f us  spawn->10k %6.0f ms%n",
                        r + 1, variant, run.readyMs, run.first1kUs, run.first10kUs, run.steadyUs, run.to10kMs);
            }
        }
        Map<String, double[]> med = new LinkedHashMap<>();
        for (String v : variants) {
            List<Run> rs = runs.stream().filter(x -> x.variant.equals(v)).toList();
            med.put(v, new double[] {
                median(rs.stream().mapToDouble(Run::readyMs).toArray()),
                median(rs.stream().mapToDouble(Run::first1kUs).toArray()),
                median(rs.stream().mapToDouble(Run::first10kUs).toArray()),
                median(rs.stream().mapToDouble(Run::steadyUs).toArray()),
                median(rs.stream().mapToDouble(Run::to10kMs).toArray())});
        }
        double[] ref = med.get("plain");
        System.out.printf("medians of %d rounds (ratio vs plain in the same run):%n", rounds);
        System.out.printf("  %-9s %16s %18s %18s %14s %20s%n", "variant", "ready ms", "first1k us", "first10k us", "steady us", "spawn->10k ms");
        for (var e : med.entrySet()) {
            double[] m = e.getValue();
            System.out.printf("  %-9s %8.0f (%4.2fx) %10.0f (%4.2fx) %10.0f (%4.2fx) %6.0f (%4.2fx) %12.0f (%4.2fx)%n", e.getKey(),
                    m[0], m[0] / ref[0], m[1], m[1] / ref[1], m[2], m[2] / ref[2], m[3], m[3] / ref[3], m[4], m[4] / ref[4]);
        }
        double[] p = med.get("plain");
        System.out.printf("plain: first 10k cost %.2f ms/request more than steady (%.0f ms in all)%n",
                (p[2] - p[3]) / 1000, (p[2] - p[3]) * 10_000 / 1000);
    }

    static double mean(long[] lat, int from, int to) {
        return Arrays.stream(lat, from, to).average().orElse(0) / 1000.0;
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Starts and stops the two services and talks to the gateway over one kept-alive connection. */
    static final class Bench {
        final String gateway;
        final String storaged;
        final Path logDir;
        final String gatewayJar;
        final String storagedJar;
        final String gatewayOpts;
        final String storagedOpts;
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        Process gw;
        Process sd;

        Bench(String gateway, String storaged, Path logDir, String gatewayJar, String storagedJar, String gatewayOpts, String storagedOpts) {
            this.gateway = gateway;
            this.storaged = storaged;
            this.logDir = logDir;
            this.gatewayJar = gatewayJar;
            this.storagedJar = storagedJar;
            this.gatewayOpts = gatewayOpts;
            this.storagedOpts = storagedOpts;
        }

        void start(List<String> gwExtra, List<String> sdExtra) throws Exception {
            sd = spawn("storaged", storagedJar, storagedOpts, sdExtra);
            gw = spawn("gateway", gatewayJar, gatewayOpts, gwExtra);
            awaitHealth(storaged + "/health", sd);
            awaitHealth(gateway + "/health", gw);
        }

        Process spawn(String name, String jar, String opts, List<String> extra) throws Exception {
            List<String> cmd = new ArrayList<>();
            cmd.add("java");
            cmd.addAll(Arrays.asList(opts.trim().split("\\s+")));
            cmd.addAll(extra);
            cmd.add("-jar");
            cmd.add(jar);
            File log = logDir.resolve("warmstart-" + name + ".log").toFile();
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        }

        void awaitHealth(String url, Process p) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
            while (true) {
                try {
                    if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (java.io.IOException notYet) {
                    // not listening yet
                }
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(url + " did not become healthy; see " + logDir);
                }
                Thread.sleep(10);
            }
        }

        void put(String key, byte[] body) throws Exception {
            HttpRequest req = HttpRequest.newBuilder(URI.create(gateway + "/v1/storage/objects/" + key))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            int code = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (code / 100 != 2) {
                throw new IllegalStateException("PUT " + key + " -> " + code);
            }
        }

        /** n sequential GETs of the bench object; each one's latency in ns. */
        long[] fire(int n) throws Exception {
            HttpRequest req = HttpRequest.newBuilder(URI.create(gateway + "/v1/storage/objects/bench/warmstart/object")).build();
            long[] lat = new long[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                lat[i] = System.nanoTime() - t;
                if (resp.statusCode() != 200 || resp.body().length != 1024) {
                    throw new IllegalStateException("GET -> " + resp.statusCode());
                }
            }
            return lat;
        }

        void stop() throws Exception {
            for (Process p : List.of(gw, sd)) {
                p.destroy(); // SIGTERM: graceful, and the JVM writes an ArchiveClassesAtExit archive on the way out
            }
            for (Process p : List.of(gw, sd)) {
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            }
        }
    }
}
