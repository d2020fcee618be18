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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** All seven services in this JVM on the embedded S3, each on a free loopback port; the gateway requires {@code token}. */
final class InProcessFleet implements AutoCloseable {
    static final OkHttpClient HTTP = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60)).build();

    private final List<ServiceApp> apps = new ArrayList<>();
    final ServiceApp gateway;
    final String token;

    InProcessFleet(S3Extension s3, Path data, String token) throws InterruptedException {
        this.token = token;
        String secrets = s3.secretsFile().toString();
        this.secretsFile = secrets;
        ServiceApp storaged = start(StoragedMain.start(cfg(Service.STORAGED, Map.of(
                "secrets_file", secrets, "data_dir", data.resolve("storaged").toString()))));
        ServiceApp catalogd = start(CatalogdMain.start(cfg(Service.CATALOGD, Map.of(
                "storaged.url", storaged.baseUrl(), "catalogd.rehydrate_retry", "100ms"))));
        ServiceApp embedd = start(EmbeddMain.start(cfg(Service.EMBEDD, Map.of("data_dir", data.resolve("embedd").toString()))));
        ServiceApp ingestd = start(IngestdMain.start(cfg(Service.INGESTD, Map.of(
                "storaged.url", storaged.baseUrl(), "catalogd.url", catalogd.baseUrl(),
                "data_dir", data.resolve("ingestd").toString()))));
        ServiceApp queryd = start(QuerydMain.start(cfg(Service.QUERYD, Map.of(
                "secrets_file", secrets, "catalogd.url", catalogd.baseUrl(),
                "data_dir", data.resolve("queryd").toString(), "queryd.duckdb_memory_limit", "512MB"))));
        ServiceApp vectord = start(VectordMain.start(cfg(Service.VECTORD, Map.of(
                "storaged.url", storaged.baseUrl(), "embedd.url", embedd.baseUrl(),
                "vectord.tmp_dir", data.resolve("vectord").toString()))));
        Map<String, String> gw = new HashMap<>(Map.of("token", token));
        for (ServiceApp app : List.copyOf(apps)) {
            gw.put(app.service().id() + ".url", app.baseUrl());
        }
        gateway = start(GatewayMain.start(cfg(Service.GATEWAY, gw)));
        awaitHealthy(gateway.baseUrl() + "/v1/health");
    }

    /** The embedded S3's secrets file: its S3 keys and the fleet credential every service needs (ADR 0017). */
    private String secretsFile;

    private Config cfg(Service s, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>(extra);
        c.put("secrets_file", secretsFile);
        c.put(s.id() + ".port", "0");
        c.put("http.shutdown_hook", "false");
        return Config.of(c);
    }

    private ServiceApp start(ServiceApp app) throws InterruptedException {
        apps.add(app);
        awaitHealthy(app.baseUrl() + "/health");
        return app;
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
        for (int i = apps.size() - 1; i >= 0; i--) {
            apps.get(i).close();
        }
    }
}
