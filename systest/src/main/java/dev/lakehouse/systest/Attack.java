package dev.lakehouse.systest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.routes.Routes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@code just attack}: replays every finding of issue 19 against the running fleet (loopback only, bounded in
 * count and time) and checks the fixed behaviour, all seven items (1 and 4, queryd's sandbox and result memory,
 * included since they landed). Item 4 runs last: before the fix its query killed queryd, which is then restarted.
 *
 * <p>Usage: {@code Attack [gatewayUrl]}; the fleet's secrets file (LAKEHOUSE_SECRETS_FILE or run/secrets.toml)
 * gives the fleet credential, used only where the check is that the fleet itself may do something.
 */
public final class Attack {
    private static final OkHttpClient HTTP = new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(3)).readTimeout(Duration.ofSeconds(60)).retryOnConnectionFailure(false).build();

    private final Api api;
    private final Fleet fleet;
    private final Config env = Config.load(new String[0]);
    private final FleetCredential credential;
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private int failed;

    private Attack(String gateway) {
        api = new Api(gateway);
        fleet = new Fleet(Path.of(System.getProperty("lakehouse.root", ".")), gateway);
        credential = fleet.credential();
    }

    public static void main(String[] args) throws Exception {
        Attack a = new Attack(args.length > 0 ? args[0] : "http://127.0.0.1:3110");
        a.fleet.awaitHealthy(Duration.ofSeconds(60));
        long t0 = System.nanoTime();
        a.item2ReservedPrefixes();
        a.item3LyingAndCorruptManifests();
        a.item5SlowClients();
        a.item6BackendsAuthenticateCallers();
        a.item7HealthTellsTheTruth();
        a.item1SqlSeesDatasetsNeverPaths();
        a.item4OneQueryCannotKillQueryd();
        System.out.printf("attack: %d failed in %d s%n", a.failed, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
        System.exit(a.failed == 0 ? 0 : 1);
    }

    // ---- item 2: the fleet's own state is read-only through the public storage API ----

    void item2ReservedPrefixes() throws IOException {
        for (String prefix : StorageLayout.RESERVED_PREFIXES) {
            String key = prefix + "zzz/99999999999.json";
            Api.Reply put = api.put("/v1/storage/objects/" + key, new byte[] {'x'});
            check(2, "PUT " + key + " through the gateway -> 403 reserved_prefix naming " + prefix,
                    put.status() == 403 && field(put, "code").equals("reserved_prefix") && field(put, "prefix").equals(prefix),
                    put);
            Api.Reply del = api.delete("/v1/storage/objects/" + prefix + "anything");
            check(2, "DELETE under " + prefix + " through the gateway -> 403", del.status() == 403, del);
        }
        Reply direct = direct(Service.STORAGED, "PUT", "/objects/_catalog/zzz/99999999999.json", "x", false);
        check(2, "PUT under _catalog/ straight to storaged without the fleet credential -> 401", direct.status == 401, direct);
        check(2, "reads under reserved prefixes stay open (list _catalog/)",
                api.get("/v1/storage/objects?prefix=_catalog/").status() == 200, null);
    }

    // ---- item 3: the catalog believes no manifest it cannot check; a corrupt one fails only its dataset ----

    void item3LyingAndCorruptManifests() throws Exception {
        String ds = "attack_" + run;
        Api.Reply ingest = api.postCsv("/v1/ingest/" + ds, "id,name\n1,a\n2,b\n3,c\n");
        check(3, "ingest a 3-row dataset", ingest.ok(), ingest);
        JsonNode file = api.get("/v1/catalog/datasets/" + ds).json().get("files").get(0);
        Map<String, Object> lie = Map.of(
                "schema", List.of(Map.of("name", "id", "type", "VARCHAR"), Map.of("name", "name", "type", "BIGINT")),
                "files", List.of(Map.of("key", file.get("key").asText(), "rows", 5, "bytes", file.get("bytes").asLong(),
                        "etag", file.get("etag").asText())));
        Api.Reply r = api.postJson("/v1/catalog/datasets/" + ds + "_lie/manifests", lie);
        check(3, "a manifest claiming 5 rows and wrong types for a 3-row file -> 400 manifest_mismatch",
                r.status() == 400 && field(r, "code").equals("manifest_mismatch"), r);

        // corruption as only the fleet itself could now cause it: a 1-byte object at a manifest key
        Reply put = direct(Service.STORAGED, "PUT", "/objects/_catalog/zzz/99999999999.json", "x", true);
        check(3, "(setup) the fleet credential writes _catalog/ directly", put.status == 201, put);
        fleet.run("restart", "catalogd");
        JsonNode list = afterRestart("/v1/catalog/datasets").json();
        check(3, "catalogd restarts healthy over a corrupt manifest and still serves the others",
                api.get("/v1/catalog/datasets/" + ds).status() == 200, null);
        check(3, "the corrupt dataset is listed failed with its reason",
                list.path("failed").toString().contains("\"zzz\"") && list.path("failed").toString().contains("99999999999"), list);
        direct(Service.STORAGED, "DELETE", "/objects/_catalog/zzz/99999999999.json", null, true);
        fleet.run("restart", "catalogd");
        api.delete("/v1/catalog/datasets/" + ds);
    }

    // ---- item 5: slow clients are cut, and do not take the fleet down ----

    void item5SlowClients() throws Exception {
        // 4 PUTs trickling a byte every 5 s used to hold all of storaged's PUT slots indefinitely
        List<CompletableFuture<String>> slow = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            slow.add(trickle(gatewayUri(), "/v1/storage/objects/attack/" + run + "/slow-" + i, 5_000, 60));
        }
        Thread.sleep(1000);
        int cut = 0;
        for (CompletableFuture<String> f : slow) {
            String answer = f.get(90, TimeUnit.SECONDS);
            cut += answer.startsWith("HTTP/1.1 408") ? 1 : 0;
        }
        check(5, "4 PUTs trickling 1 byte / 5 s are cut with 408", cut == 4, cut + " of 4 cut");
        Api.Reply after = api.put("/v1/storage/objects/attack/" + run + "/after", new byte[1024]);
        check(5, "their PUT slots are free again: the next PUT is 201", after.status() == 201, after);
        api.delete("/v1/storage/objects/attack/" + run + "/after");

        // 1,000 idle / slow connections from 8 other loopback addresses; the gateway keeps serving 127.0.0.1
        List<Socket> flood = new ArrayList<>();
        int served = 0;
        try {
            URI gw = gatewayUri();
            for (int a = 0; a < 8; a++) {
                InetAddress from = InetAddress.getByName("127.0.0." + (2 + a));
                for (int i = 0; i < 125; i++) {
                    Socket s = new Socket();
                    s.bind(new InetSocketAddress(from, 0));
                    s.connect(new InetSocketAddress(gw.getHost(), gw.getPort()), 3000);
                    flood.add(s);
                    if (i % 2 == 1) {
                        s.getOutputStream().write("GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
                    }
                }
            }
            for (int i = 0; i < 20; i++) {
                if (api.get("/v1/storage/objects?prefix=attack/&limit=1").status() == 200) {
                    served++;
                }
            }
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        check(5, "with 1,000 idle/slow connections open, 20 of 20 requests from another address are served",
                served == 20, served + " of 20");
    }

    // ---- item 6: backends take the fleet's callers only; secrets are owner-only; /v1/health says little ----

    void item6BackendsAuthenticateCallers() throws Exception {
        Map<Service, String> routes = Map.of(Service.STORAGED, "/objects?prefix=", Service.CATALOGD, "/datasets",
                Service.INGESTD, "/ingest/x", Service.QUERYD, "/sql", Service.VECTORD, "/index", Service.EMBEDD, "/embed/models");
        for (Service svc : Routes.backends()) {
            String method = svc == Service.QUERYD || svc == Service.INGESTD ? "POST" : "GET";
            Reply r = direct(svc, method, routes.get(svc), method.equals("POST") ? "SELECT 1" : null, false);
            check(6, svc.id() + " " + method + " " + routes.get(svc) + " without the fleet credential -> 401", r.status == 401, r);
            Reply h = direct(svc, "GET", Routes.HEALTH, null, false);
            check(6, svc.id() + " /health stays open", h.status == 200 || h.status == 503, h);
        }
        Path secrets = secretsFile();
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets));
        check(6, "the generated secrets file is 0600", mode.equals("rw-------"), mode);
        Path open = Files.createTempFile("attack-secrets", ".toml");
        try {
            Files.copy(secrets, open, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
            String out = startRefused(open);
            check(6, "a service refuses to start on a world-readable secrets file, saying why", out.contains("chmod 600"), out);
        } finally {
            Files.deleteIfExists(open);
        }
        try (Response r = HTTP.newCall(new Request.Builder().url(gatewayUri() + "/v1/health").build()).execute()) {
            String body = r.body().string();
            check(6, "/v1/health without a token shows status only (no URLs, versions, heap)",
                    !body.contains("127.0.0.1") && !body.contains("version") && !body.contains("heap") && body.contains("status"), body);
        }
    }

    // ---- item 7: /v1/health tells the truth when S3 is down ----

    void item7HealthTellsTheTruth() throws Exception {
        fleet.run("stop", "devs3");
        try {
            JsonNode h = null;
            for (int i = 0; i < 40; i++) {
                h = fleet.health();
                if (h.path("down").toString().contains("\"s3\"")) {
                    break;
                }
                Thread.sleep(250);
            }
            check(7, "S3 down -> /v1/health names s3", h != null && h.path("down").toString().contains("\"s3\""), h);
        } finally {
            fleet.run("start", "devs3");
        }
        fleet.awaitHealthy(Duration.ofSeconds(30));
        check(7, "S3 back -> /v1/health 200 again", fleet.healthy(), null);
    }

    // ---- item 1: SQL sees datasets, never paths ----

    void item1SqlSeesDatasetsNeverPaths() throws Exception {
        String ds = "attack_sql_" + run;
        api.postCsv("/v1/ingest/" + ds, "id,secret\n1,deleted-data\n");
        api.postJson("/v1/sql", Map.of("sql", "SELECT count(*) FROM " + ds)); // caches its file in queryd
        api.delete("/v1/catalog/datasets/" + ds);
        Path cache = env.dataDir().resolve("queryd").resolve("cache").toAbsolutePath();
        for (String sql : List.of("SELECT * FROM read_parquet('" + cache + "/*.parquet')", "SELECT * FROM glob('" + cache + "/*')",
                "SELECT * FROM read_blob('" + cache + "/*')", "SELECT * FROM read_text('/etc/hostname')")) {
            Api.Reply r = api.postJson("/v1/sql", Map.of("sql", sql));
            check(1, "after DELETE, " + sql + " is refused", r.status() >= 400 && r.status() < 500
                    && !new String(r.body(), StandardCharsets.UTF_8).contains("deleted-data"), r);
        }
        Api.Reply settings = api.postJson("/v1/sql", Map.of("sql", "SELECT name, value FROM duckdb_settings()"));
        String text = new String(settings.body(), StandardCharsets.UTF_8);
        check(1, "duckdb_settings() reveals no paths or secrets",
                !text.contains(cache.toString()) && !text.contains("secret_key"), settings);
    }

    // ---- item 4: result memory is bounded; queryd never dies of OOM ----

    void item4OneQueryCannotKillQueryd() throws Exception {
        Api.Reply r = api.postJson("/v1/sql", Map.of("sql", "SELECT repeat('x', 1000000) FROM range(2000)"));
        check(4, "a 2 GB result is refused with 413/507", r.status() == 413 || r.status() == 507, r);
        boolean alive = direct(Service.QUERYD, "GET", Routes.HEALTH, null, false).status == 200;
        check(4, "queryd is still up after it", alive, null);
        if (!alive) {
            fleet.run("restart", "queryd"); // leave the fleet as we found it (the dead one's pid file is still there)
        }
    }

    // ---- plumbing ----

    record Reply(int status, String body) {}

    private Reply direct(Service svc, String method, String path, String body, boolean withCredential) throws IOException {
        Request.Builder b = new Request.Builder().url(env.url(svc) + path).header("Connection", "close")
                .method(method, body == null ? (method.equals("PUT") || method.equals("POST") ? RequestBody.create(new byte[0]) : null)
                        : RequestBody.create(body.getBytes(StandardCharsets.UTF_8)));
        Request request = withCredential ? credential.sign(b.build()) : b.build();
        try (Response r = HTTP.newCall(request).execute()) {
            return new Reply(r.code(), r.body().string());
        } catch (IOException e) {
            return new Reply(-1, e.toString());
        }
    }

    /** The gateway's first call to a restarted backend may meet the old one's pooled connection (502): asks again. */
    private Api.Reply afterRestart(String path) throws IOException {
        Api.Reply r = api.get(path);
        for (int i = 0; i < 3 && r.status() == 502; i++) {
            r = api.get(path);
        }
        return r;
    }

    private URI gatewayUri() {
        return URI.create(env.url(Service.GATEWAY));
    }

    private Path secretsFile() {
        String p = System.getenv("LAKEHOUSE_SECRETS_FILE");
        return p != null ? Path.of(p) : fleet.runDir().resolve("secrets.toml");
    }

    /** Starts catalogd's jar on a world-readable secrets file (and a port nobody uses); returns what it printed. */
    private String startRefused(Path secrets) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("lakehouse.root", ".")).resolve("catalogd/target/catalogd.jar");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
                .redirectErrorStream(true);
        pb.environment().put("LAKEHOUSE_SECRETS_FILE", secrets.toString());
        pb.environment().put("LAKEHOUSE_CATALOGD_PORT", "0");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "still running after 30 s: " + out;
        }
        return out;
    }

    /** A PUT with a 1 MiB Content-Length whose body comes one byte every {@code everyMs}; what the server answered. */
    private static CompletableFuture<String> trickle(URI base, String path, long everyMs, int maxBytes) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = new Socket(base.getHost(), base.getPort())) {
                s.setSoTimeout((int) Math.min(everyMs, 1000));
                OutputStream out = s.getOutputStream();
                out.write(("PUT " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                long next = 0;
                for (int sent = 0; sent < maxBytes; ) {
                    if (System.currentTimeMillis() >= next) {
                        try {
                            out.write('x');
                            sent++;
                        } catch (IOException cut) {
                            // read the answer below
                        }
                        next = System.currentTimeMillis() + everyMs;
                    }
                    try {
                        int n = in.read(buf);
                        return n > 0 ? new String(buf, 0, n, StandardCharsets.ISO_8859_1) : "closed without an answer";
                    } catch (java.net.SocketTimeoutException notYet) {
                        // keep trickling
                    }
                }
                return "never answered";
            } catch (IOException e) {
                return "failed: " + e;
            }
        });
    }

    private static String field(Api.Reply r, String name) {
        try {
            return r.json().path(name).asText();
        } catch (IOException e) {
            return "";
        }
    }

    private void check(int item, String what, boolean ok, Object evidence) {
        System.out.printf("%s item %d: %s%s%n", ok ? "PASS" : "FAIL", item, what, ok ? "" : "  [" + evidence(evidence) + "]");
        if (!ok) {
            failed++;
        }
    }


    private static String evidence(Object e) {
        String s = e instanceof Api.Reply r ? r.status() + " " + new String(r.body(), StandardCharsets.UTF_8) : String.valueOf(e);
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
