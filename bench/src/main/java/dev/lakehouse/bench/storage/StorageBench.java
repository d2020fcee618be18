package dev.lakehouse.bench.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.config.S3Settings;
import dev.lakehouse.common.config.Secrets;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.s3.S3Clients;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@code just bench storage}: PUT and GET of one large object (1 GiB by default) through
 * gateway → storaged → S3, against the AWS SDK straight to the same S3 server, in the same run.
 * Rounds alternate reference and fleet so machine noise hits both alike; best of the rounds is reported.
 *
 * <pre>StorageBench --gateway URL --storaged URL --secrets FILE [--size-mib 1024] [--rounds 2]</pre>
 */
public final class StorageBench {
    private static final long MIB = 1L << 20;
    private static final MediaType OCTETS = MediaType.get("application/octet-stream");

    private StorageBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        String gateway = a.getOrDefault("gateway", "http://127.0.0.1:3110");
        String storaged = a.getOrDefault("storaged", "http://127.0.0.1:3211");
        long size = Long.parseLong(a.getOrDefault("size-mib", "1024")) * MIB;
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "2"));
        String prefix = a.getOrDefault("prefix", "_vectors/bench-storage-" + ProcessHandle.current().pid());
        S3Settings s3s = Secrets.primaryS3(Path.of(a.getOrDefault("secrets", "run/secrets.toml")));
        byte[] block = new byte[(int) MIB];
        new SplittableRandom(7).nextBytes(block);

        OkHttpClient http = new OkHttpClient.Builder()
                .readTimeout(Duration.ofMinutes(10)).writeTimeout(Duration.ofMinutes(10)).build();
        List<Double> refPut = new ArrayList<>();
        List<Double> refGet = new ArrayList<>();
        List<Double> gwPut = new ArrayList<>();
        List<Double> gwGet = new ArrayList<>();
        List<Double> sdGet = new ArrayList<>();
        List<Double> okGet = new ArrayList<>();
        System.out.printf("storage bench: %d MiB object, %d rounds, S3 %s, gateway %s%n", size / MIB, rounds, s3s.endpoint(), gateway);
        try (S3Client s3 = S3Clients.create(s3s)) {
            for (int r = 1; r <= rounds; r++) {
                String refKey = prefix + "/ref-" + r;
                String gwKey = prefix + "/gw-" + r;
                refPut.add(mibps(size, () -> s3.putObject(b -> b.bucket(s3s.bucket()).key(refKey).contentLength(size),
                        software.amazon.awssdk.core.sync.RequestBody.fromContentProvider(
                                () -> new Repeating(block, size), size, "application/octet-stream"))));
                gwPut.add(mibps(size, () -> put(http, gateway + "/v1/storage/objects/" + gwKey, block, size)));
                refGet.add(mibps(size, () -> {
                    try (InputStream in = s3.getObject(b -> b.bucket(s3s.bucket()).key(refKey))) {
                        check(size, drain(in), "S3 GET");
                    }
                }));
                gwGet.add(mibps(size, () -> {
                    try (Response resp = http.newCall(new Request.Builder().url(gateway + "/v1/storage/objects/" + gwKey).build()).execute()) {
                        check(200, resp.code(), "gateway GET status");
                        check(size, drain(resp.body().byteStream()), "gateway GET");
                    }
                }));
                // informational: the reference object fetched by OkHttp (the fleet's client) from a presigned URL,
                // i.e. straight to S3 with the same HTTP client the fleet path uses
                String presigned = presign(s3s, refKey);
                okGet.add(mibps(size, () -> {
                    try (Response resp = http.newCall(new Request.Builder().url(presigned).build()).execute()) {
                        check(200, resp.code(), "presigned GET status");
                        check(size, drain(resp.body().byteStream()), "presigned GET");
                    }
                }));
                // informational: the same GET from storaged without the gateway hop, to show where time goes
                sdGet.add(mibps(size, () -> {
                    try (Response resp = http.newCall(new Request.Builder().url(storaged + "/objects/" + gwKey).build()).execute()) {
                        check(size, drain(resp.body().byteStream()), "storaged GET");
                    }
                }));
                System.out.printf("round %d: PUT sdk %.0f MiB/s, fleet %.0f MiB/s | GET sdk %.0f MiB/s, okhttp-direct %.0f MiB/s, "
                        + "fleet %.0f MiB/s, storaged alone %.0f MiB/s%n", r, refPut.get(r - 1), gwPut.get(r - 1),
                        refGet.get(r - 1), okGet.get(r - 1), gwGet.get(r - 1), sdGet.get(r - 1));
                s3.deleteObject(b -> b.bucket(s3s.bucket()).key(refKey));
                s3.deleteObject(b -> b.bucket(s3s.bucket()).key(gwKey));
            }
        }
        JsonNode health;
        try (Response resp = http.newCall(new Request.Builder().url(storaged + "/health").build()).execute()) {
            health = Json.MAPPER.readTree(resp.body().string());
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
        System.out.printf("GET %d MiB: OkHttp straight to S3 (presigned) %.0f MiB/s | fleet / that %.2f (informational)%n",
                size / MIB, best(okGet), best(gwGet) / best(okGet));
        JsonNode heap = health.get("heap");
        System.out.printf("storaged heap: peak %d MiB of max %d MiB (since its start)%n",
                heap.get("peak").asLong() / MIB, heap.get("max").asLong() / MIB);
    }

    private static String presign(S3Settings s, String key) {
        try (S3Presigner p = S3Presigner.builder()
                .endpointOverride(java.net.URI.create(s.endpoint()))
                .region(software.amazon.awssdk.regions.Region.of(s.region()))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(s.accessKey(), s.secretKey())))
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build()) {
            return p.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(30))
                    .getObjectRequest(g -> g.bucket(s.bucket()).key(key))).url().toString();
        }
    }

    private static void put(OkHttpClient http, String url, byte[] block, long size) throws IOException {
        RequestBody body = new RequestBody() {
            @Override
            public MediaType contentType() {
                return OCTETS;
            }

            @Override
            public long contentLength() {
                return size;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                for (long left = size; left > 0; ) {
                    int n = (int) Math.min(block.length, left);
                    sink.write(block, 0, n);
                    left -= n;
                }
            }
        };
        try (Response resp = http.newCall(new Request.Builder().url(url).header("Expect", "100-continue").put(body).build()).execute()) {
            check(201, resp.code(), "gateway PUT status (" + resp.body().string() + ")");
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
