package dev.lakehouse.systest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Controls the local fleet through scripts/fleet.sh (the same commands an operator uses) and reads /v1/health. */
final class Fleet {
    private final Path root;
    private final String gateway;
    private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).build();

    Fleet(Path root, String gateway) {
        this.root = root;
        this.gateway = gateway;
    }

    /**
     * The programs' first step: the local fleet (this checkout's scripts, {@code -Dlakehouse.root}) behind the
     * gateway in {@code args[0]} (default 3110), once its /v1/health says ok.
     */
    static Fleet awaitHealthy(String[] args, Duration timeout) throws InterruptedException {
        Fleet fleet = new Fleet(Path.of(System.getProperty("lakehouse.root", ".")),
                args.length > 0 ? args[0] : "http://127.0.0.1:3110");
        fleet.awaitHealthy(timeout);
        return fleet;
    }

    /** A program's numeric argument {@code i} (after the gateway), or {@code dflt}. */
    static int intArg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }

    String gateway() {
        return gateway;
    }

    void run(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = root.resolve("scripts/fleet.sh").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("fleet.sh " + String.join(" ", args) + " failed: " + out);
        }
    }

    void kill9(String svc) throws IOException, InterruptedException {
        run("kill", svc);
    }

    void start(String svc) throws IOException, InterruptedException {
        run("start", svc);
    }

    /** Full GC in a service via jcmd, so heap figures compare live data, not garbage. */
    void gc(String svc) throws IOException, InterruptedException {
        Path pidFile = runDir().resolve(svc + ".pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String pid = Files.readString(pidFile).trim();
        Process p = new ProcessBuilder("jcmd", pid, "GC.run").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
    }

    Path runDir() {
        String env = System.getenv("LAKEHOUSE_RUN_DIR");
        return env != null ? Path.of(env) : root.resolve("run");
    }

    /** The fleet credential of this fleet's secrets file (what {@code fleet.sh} exports as LAKEHOUSE_SECRETS_FILE). */
    FleetCredential credential() {
        String env = System.getenv("LAKEHOUSE_SECRETS_FILE");
        return FleetCredential.load(env != null ? Path.of(env) : runDir().resolve("secrets.toml"));
    }

    /** /v1/health with its details (per-service heap, threads): they need the fleet credential. */
    JsonNode health() throws IOException {
        Request request = credential().sign(new Request.Builder().url(gateway + "/v1/health").build());
        try (Response r = http.newCall(request).execute()) {
            return Json.MAPPER.readTree(r.body().string());
        }
    }

    boolean healthy() {
        try {
            return "ok".equals(health().path("status").asText());
        } catch (IOException e) {
            return false;
        }
    }

    void awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!healthy()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("fleet not healthy after " + timeout);
            }
            Thread.sleep(200);
        }
    }
}
