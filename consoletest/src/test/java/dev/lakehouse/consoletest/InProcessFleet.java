package dev.lakehouse.consoletest;

import dev.lakehouse.catalogd.CatalogdMain;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.embedd.EmbeddMain;
import dev.lakehouse.gateway.GatewayMain;
import dev.lakehouse.ingestd.IngestdMain;
import dev.lakehouse.queryd.QuerydMain;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.vectord.VectordMain;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * All seven services on the embedded S3, each on a free loopback port; the gateway requires {@code token}. Services
 * named in {@code children} run in a JVM of their own, so a test can kill -9 and restart them ({@link #kill},
 * {@link #restart}); the others run in this JVM.
 */
final class InProcessFleet implements AutoCloseable {
    static final OkHttpClient HTTP = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60)).build();
    private static final Map<Service, Function<Config, ServiceApp>> MAINS = Map.of(
            Service.STORAGED, StoragedMain::start, Service.CATALOGD, CatalogdMain::start, Service.EMBEDD, EmbeddMain::start,
            Service.INGESTD, IngestdMain::start, Service.QUERYD, QuerydMain::start, Service.VECTORD, VectordMain::start,
            Service.GATEWAY, GatewayMain::start);
    private static final Map<Service, Class<?>> MAIN_CLASSES = Map.of(Service.CATALOGD, CatalogdMain.class,
            Service.VECTORD, VectordMain.class, Service.INGESTD, IngestdMain.class, Service.QUERYD, QuerydMain.class);

    private final List<ServiceApp> apps = new ArrayList<>();
    private final Map<Service, Process> children = new EnumMap<>(Service.class);
    private final Map<Service, Map<String, String>> childConfigs = new EnumMap<>(Service.class);
    private final Set<Service> inChildJvms;
    private final Path logs;
    final ServiceApp gateway;
    final String token;

    InProcessFleet(S3Extension s3, Path data, String token) throws InterruptedException {
        this(s3, data, token, Set.of());
    }

    InProcessFleet(S3Extension s3, Path data, String token, Set<Service> inChildJvms) throws InterruptedException {
        this.token = token;
        this.inChildJvms = inChildJvms;
        this.logs = data.resolveSibling("logs");
        this.secretsFile = s3.secretsFile().toString();
        String storaged = start(Service.STORAGED, Map.of("data_dir", data.resolve("storaged").toString()), 0);
        // catalogd calls queryd and vectord for erasures, and they call it: their ports are chosen up front
        int catalogdPort = freePort();
        int querydPort = freePort();
        int vectordPort = freePort();
        String catalogd = start(Service.CATALOGD, Map.of(
                "storaged.url", storaged, "catalogd.rehydrate_retry", "100ms",
                "queryd.url", "http://127.0.0.1:" + querydPort, "vectord.url", "http://127.0.0.1:" + vectordPort,
                "catalogd.erasure_retry", "200ms"), catalogdPort);
        String embedd = start(Service.EMBEDD, Map.of("data_dir", data.resolve("embedd").toString()), 0);
        String ingestd = start(Service.INGESTD, Map.of("storaged.url", storaged, "catalogd.url", catalogd,
                "data_dir", data.resolve("ingestd").toString()), 0);
        String queryd = start(Service.QUERYD, Map.of("catalogd.url", catalogd, "storaged.url", storaged,
                "data_dir", data.resolve("queryd").toString(), "queryd.duckdb_memory_limit", "512MB"), querydPort);
        String vectord = start(Service.VECTORD, Map.of("storaged.url", storaged, "embedd.url", embedd,
                "vectord.tmp_dir", data.resolve("vectord").toString()), vectordPort);
        Map<String, String> gw = new HashMap<>(Map.of("token", token, "storaged.url", storaged, "catalogd.url", catalogd,
                "embedd.url", embedd, "ingestd.url", ingestd, "queryd.url", queryd, "vectord.url", vectord));
        start(Service.GATEWAY, gw, 0);
        gateway = apps.get(apps.size() - 1);
        awaitHealthy(gateway.baseUrl() + "/v1/health");
    }

    /** The embedded S3's secrets file: its S3 keys and the fleet credential every service needs (ADR 0017). */
    private final String secretsFile;

    /** Starts {@code s} in this JVM or a child; returns its base URL once it is healthy. */
    private String start(Service s, Map<String, String> extra, int port) throws InterruptedException {
        Map<String, String> c = new HashMap<>(extra);
        c.put("secrets_file", secretsFile);
        c.put(s.id() + ".port", Integer.toString(port));
        c.put("http.shutdown_hook", "false");
        if (inChildJvms.contains(s)) {
            childConfigs.put(s, c);
            launch(s);
            return "http://127.0.0.1:" + port;
        }
        ServiceApp app = MAINS.get(s).apply(Config.of(c));
        apps.add(app);
        awaitHealthy(app.baseUrl() + "/health");
        return app.baseUrl();
    }

    private void launch(Service s) throws InterruptedException {
        Map<String, String> c = childConfigs.get(s);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path"), MAIN_CLASSES.get(s).getName())
                .redirectErrorStream(true);
        try {
            java.nio.file.Files.createDirectories(logs);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(s.id() + ".log").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("LAKEHOUSE_")); // only this fleet's config
        c.forEach((k, v) -> pb.environment().put("LAKEHOUSE_" + k.toUpperCase(Locale.ROOT).replace('.', '_'), v));
        try {
            children.put(s, pb.start());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        awaitHealthy("http://127.0.0.1:" + c.get(s.id() + ".port") + "/health");
    }

    /** kill -9 of a service running in a child JVM: no shutdown hook, no finally block runs. */
    void kill(Service s) throws InterruptedException {
        Process p = children.remove(s);
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(s.id() + " did not die");
        }
    }

    /** Starts a killed child service again, on the same port with the same config. */
    void restart(Service s) throws InterruptedException {
        launch(s);
    }

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitHealthy(String url) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try (Response r = HTTP.newCall(new Request.Builder().url(url).build()).execute()) {
                if (r.code() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError(url + " never became healthy");
    }

    String url() {
        return gateway.baseUrl();
    }

    record Reply(int status, byte[] body) {
        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A call through the gateway with the bearer token, as a program would make it. */
    Reply call(String method, String path, String contentType, byte[] body, String accept) {
        Request.Builder b = new Request.Builder().url(url() + path).header("Authorization", "Bearer " + token)
                .method(method, body == null ? null : RequestBody.create(body, contentType == null ? null : MediaType.get(contentType)));
        if (accept != null) {
            b.header("Accept", accept);
        }
        try (Response r = HTTP.newCall(b.build()).execute()) {
            return new Reply(r.code(), r.body().bytes());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Process p : children.values()) {
            p.destroyForcibly();
        }
        for (int i = apps.size() - 1; i >= 0; i--) {
            apps.get(i).close();
        }
    }
}
