package dev.lakehouse.ingestd;

import dev.lakehouse.catalogd.CatalogdMain;
import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.storaged.StoragedMain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** The real storaged and catalogd in-process on the embedded S3, with one ingestd per given config overlay. */
final class TestFleet implements AutoCloseable {
    final ServiceApp storaged;
    final ServiceApp catalogd;
    final List<ServiceApp> ingestds = new ArrayList<>();
    final StorageClient storage;
    final CatalogClient catalog;

    @SafeVarargs
    TestFleet(S3Extension s3, Map<String, String>... ingestdOverlays) throws InterruptedException {
        Map<String, String> base = new HashMap<>();
        base.put("http.shutdown_hook", "false");
        base.put("secrets_file", s3.secretsFile().toString());
        base.put("data_dir", s3.tempDir().resolve("data").toString());
        base.put("storaged.port", "0");
        storaged = StoragedMain.start(Config.of(base));
        base.put("storaged.url", storaged.baseUrl());
        base.put("catalogd.port", "0");
        catalogd = CatalogdMain.start(Config.of(base));
        base.put("catalogd.url", catalogd.baseUrl());
        base.put("ingestd.port", "0");
        base.put("ingestd.duckdb_threads", "2");
        for (Map<String, String> overlay : ingestdOverlays) {
            Map<String, String> conf = new HashMap<>(base);
            conf.putAll(overlay);
            ingestds.add(IngestdMain.start(Config.of(conf)));
        }
        storage = new StorageClient(storaged.baseUrl(), s3.credential());
        catalog = new CatalogClient(catalogd.baseUrl(), s3.credential());
        OkHttpClient http = new OkHttpClient();
        for (int i = 0; i < 200 && !healthy(http, catalogd.baseUrl() + "/health"); i++) {
            Thread.sleep(50);
        }
    }

    private static boolean healthy(OkHttpClient http, String url) {
        try (Response r = http.newCall(new Request.Builder().url(url).build()).execute()) {
            return r.code() == 200;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        ingestds.forEach(ServiceApp::close);
        catalogd.close();
        storaged.close();
    }
}
