package dev.lakehouse.bench.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.config.S3Settings;
import dev.lakehouse.common.config.Secrets;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.s3.S3Clients;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code just bench storage}: PUT and GET of one large object (1 GiB by default) through
 * gateway → storaged → S3, against the AWS SDK straight to the same S3 server, in the same run.
 * Both sides use the same HTTP client (the SDK's own) and the same 64 KiB read buffer; rounds alternate
 * which side goes first so machine noise hits both alike; best of the rounds is reported.
 *
 * <pre>StorageBench --gateway URL --storaged URL --secrets FILE [--size-mib 1024] [--rounds 4]</pre>
 */
public final class StorageBench {
    private static final long MIB = 1L << 20;

    private StorageBench() {}

    private static String fleetToken;

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        String gateway = a.getOrDefault("gateway", "http://127.0.0.1:3110");
        String storaged = a.getOrDefault("storaged", "http://127.0.0.1:3211");
        long size = Long.parseLong(a.getOrDefault("size-mib", "1024")) * MIB;
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "4"));
        String prefix = a.getOrDefault("prefix", "bench/storage-" + ProcessHandle.current().pid());
        Path secrets = Path.of(a.getOrDefault("secrets", "run/secrets.toml"));
        S3Settings s3s = Secrets.primaryS3(secrets);
        fleetToken = dev.lakehouse.common.auth.FleetCredential.load(secrets).headerValue();
        byte[] block = new byte[(int) MIB];
        new SplittableRandom(7).nextBytes(block);

        List<Double> refPut = new ArrayList<>();
        List<Double> refGet = new ArrayList<>();
        List<Double> gwPut = new ArrayList<>();
        List<Double> gwGet = new ArrayList<>();
        List<Double> sdGet = new ArrayList<>();
        JsonNode health;
        System.out.printf("storage bench: %d MiB object, %d rounds, S3 %s, gateway %s%n", size / MIB, rounds, s3s.endpoint(), gateway);
        // the fleet is measured with the very HTTP client the SDK reference uses (same Apache client, same
        // settings, same request entity and response stream), so the two sides differ only in the path
        try (S3Client s3 = S3Clients.create(s3s); SdkHttpClient http = S3Clients.httpClientBuilder().build()) {
            for (int r = 1; r <= rounds; r++) {
                String refKey = prefix + "/ref-" + r;
                String gwKey = prefix + "/gw-" + r;
                Timed refPutRun = () -> s3.putObject(b -> b.bucket(s3s.bucket()).key(refKey).contentLength(size),
                        software.amazon.awssdk.core.sync.RequestBody.fromContentProvider(
                                () -> new Repeating(block, size), size, "application/octet-stream"));
                Timed gwPutRun = () -> put(http, gateway + "/v1/storage/objects/" + gwKey, block, size);
                Timed refGetRun = () -> {
                    try (InputStream in = s3.getObject(b -> b.bucket(s3s.bucket()).key(refKey))) {
                        check(size, drain(in), "S3 GET");
                    }
                };
                Timed gwGetRun = () -> check(size, get(http, gateway + "/v1/storage/objects/" + gwKey), "gateway GET");
                // rounds alternate which side goes first (use an even count): on this machine the second of two
                // back-to-back 1 GiB PUTs was the slower one whichever side it was (the S3 server's file writes
                // cost it 1.4 then ~3.5 s of kernel time per GiB), and best-of-N should see each side in both slots
                boolean refFirst = r % 2 == 1;
                timePair(size, refFirst, refPutRun, refPut, gwPutRun, gwPut);
                timePair(size, refFirst, refGetRun, refGet, gwGetRun, gwGet);
                // informational: the same GET from storaged without the gateway hop, to show where time goes
                sdGet.add(mibps(size, () -> check(size, get(http, storaged + "/objects/" + gwKey), "storaged GET")));
                System.out.printf("round %d (%s first): PUT sdk %.0f MiB/s, fleet %.0f MiB/s | GET sdk %.0f MiB/s, "
                        + "fleet %.0f MiB/s, storaged alone %.0f MiB/s%n", r, refFirst ? "sdk" : "fleet",
                        refPut.get(r - 1), gwPut.get(r - 1), refGet.get(r - 1), gwGet.get(r - 1), sdGet.get(r - 1));
                s3.deleteObject(b -> b.bucket(s3s.bucket()).key(refKey));
                s3.deleteObject(b -> b.bucket(s3s.bucket()).key(gwKey));
            }
            health = Json.MAPPER.readTree(send(http, SdkHttpMethod.GET, storaged + "/health").responseBody()
                    .map(StorageBench::text).orElse("{}"));
        }
        double putRatio = best(gwPut) / best(refPut);
        double getRatio = best(gwGet) / best(refGet);
        System.out.println("== storage bench (best of " + rounds + "; shared 2-core machine: absolute MiB/s are noisy, ratios less so)");
        System.out.printf("PUT %d MiB: AWS SDK -> S3 %.0f MiB/s | gateway -> storaged -> S3 %.0f MiB/s | ratio %.2f (goal >= 0.9)%n",
                size / MIB, best(refPut), best(gwPut), putRatio);
        System.out.printf("GET %d MiB: AWS SDK <- S3 %.0f MiB/s | gateway <- storaged <- S3 %.0f MiB/s | ratio %.2f (goal >= 0.9)%n",
                size / MIB, best(refGet), best(gwGet), getRatio);
        System.out.printf("GET %d MiB: storaged alone (no gateway hop) %.0f MiB/s | ratio to SDK %.2f (informational)%n",
                size / MIB, best(sdGet), best(sdGet) / best(refGet));
        JsonNode heap = health.get("heap");
        System.out.printf("storaged heap: peak %d MiB of max %d MiB (since its start)%n",
                heap.get("peak").asLong() / MIB, heap.get("max").asLong() / MIB);
    }

    private static void put(SdkHttpClient http, String url, byte[] block, long size) throws IOException {
        SdkHttpFullRequest req = SdkHttpFullRequest.builder().uri(URI.create(url)).method(SdkHttpMethod.PUT)
                .putHeader("Content-Length", Long.toString(size))
                .putHeader("Content-Type", "application/octet-stream")
                .putHeader("Expect", "100-continue")
                .build();
        HttpExecuteResponse resp = http.prepareRequest(HttpExecuteRequest.builder().request(req)
                .contentStreamProvider(() -> new Repeating(block, size)).build()).call();
        String body = resp.responseBody().map(StorageBench::text).orElse("");
        check(201, resp.httpResponse().statusCode(), "PUT " + url + " status (" + body + ")");
    }

    private static HttpExecuteResponse send(SdkHttpClient http, SdkHttpMethod method, String url) throws IOException {
        // storaged takes the fleet's callers only; the gateway drops the header
        SdkHttpFullRequest req = SdkHttpFullRequest.builder().uri(URI.create(url)).method(method)
                .putHeader(dev.lakehouse.common.auth.FleetCredential.HEADER, fleetToken).build();
        return http.prepareRequest(HttpExecuteRequest.builder().request(req).build()).call();
    }

    /** GETs {@code url} and reads the body fully; returns the byte count. */
    private static long get(SdkHttpClient http, String url) throws IOException {
        HttpExecuteResponse resp = send(http, SdkHttpMethod.GET, url);
        try (InputStream in = resp.responseBody().orElseThrow(() -> new IOException("GET " + url + ": no body"))) {
            if (resp.httpResponse().statusCode() != 200) {
                throw new IOException("GET " + url + ": status " + resp.httpResponse().statusCode() + " " + text(in));
            }
            return drain(in);
        }
    }

    private static String text(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Times both sides of one comparison, in the given order. */
    private static void timePair(long size, boolean refFirst, Timed ref, List<Double> refOut, Timed fleet, List<Double> fleetOut)
            throws Exception {
        if (refFirst) {
            refOut.add(mibps(size, ref));
            fleetOut.add(mibps(size, fleet));
        } else {
            fleetOut.add(mibps(size, fleet));
            refOut.add(mibps(size, ref));
        }
    }

    interface Timed {
        void run() throws Exception;
    }

    private static double mibps(long bytes, Timed t) throws Exception {
        long t0 = System.nanoTime();
        t.run();
        return bytes / (double) MIB / ((System.nanoTime() - t0) / 1e9);
    }

    private static double best(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        long n = 0;
        int r;
        while ((r = in.read(buf)) != -1) {
            n += r;
        }
        return n;
    }

    private static void check(long expected, long actual, String what) {
        if (expected != actual) {
            throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return m;
    }

    /** {@code size} bytes cycling one random block: cheap to produce, so the client is not the bottleneck. */
    static final class Repeating extends InputStream {
        private final byte[] block;
        private long left;
        private int pos;

        Repeating(byte[] block, long size) {
            this.block = block;
            this.left = size;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            int b = block[pos] & 0xff;
            pos = (pos + 1) % block.length;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, block.length - pos), left);
            System.arraycopy(block, pos, b, off, n);
            pos = (pos + n) % block.length;
            left -= n;
            return n;
        }
    }
}
