package dev.lakehouse.ingestd;

import static dev.lakehouse.common.config.Service.CATALOGD;
import static dev.lakehouse.common.config.Service.INGESTD;
import static dev.lakehouse.common.config.Service.STORAGED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.catalogd.CatalogdMain;
import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.ingestd.csv.DuckCsv;
import dev.lakehouse.ingestd.pipeline.Compactor;
import dev.lakehouse.ingestd.pipeline.Ingester;
import dev.lakehouse.ingestd.pipeline.PendingUploads;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Compaction as a new version, through the real fleet; answers compared with DuckDB over each version's files. */
class CompactionTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();

    static final OkHttpClient http = S3Extension.signing(new OkHttpClient());
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start).with(CATALOGD, CatalogdMain::start)
            .with(INGESTD, IngestdMain::start, Map.of("ingestd.duckdb_threads", "2", "ingestd.compact_file_threshold", "0"));
    /** Compacts only on request. */
    static ServiceApp manual;
    /** Compacts by itself past 3 files. */
    static ServiceApp auto;
    static StorageClient storage;
    static CatalogClient catalog;

    @BeforeAll
    static void start() {
        manual = FLEET.app(INGESTD);
        auto = FLEET.another(INGESTD, IngestdMain::start, Map.of("ingestd.duckdb_threads", "2",
                "ingestd.compact_file_threshold", "3", "ingestd.spool_dir", S3.tempDir().resolve("auto").toString()));
        storage = FLEET.storage();
        catalog = FLEET.catalog();
    }

    record Answer(int status, JsonNode body) {}

    static Answer post(ServiceApp app, String path, String csv) throws IOException {
        RequestBody body = RequestBody.create(csv == null ? "" : csv, MediaType.get("text/csv"));
        try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + path).post(body).build()).execute()) {
            return new Answer(r.code(), Json.MAPPER.readTree(r.body().string()));
        }
    }

    static String rows(int from, int n) {
        StringBuilder sb = new StringBuilder("id,grp,v\n");
        for (int i = from; i < from + n; i++) {
            sb.append(i).append(',').append("g").append(i % 7).append(',').append(i * 0.5).append('\n');
        }
        return sb.toString();
    }

    /** GROUP BY over a version's files, read with DuckDB from local copies: the answer a query would give. */
    static List<String> answer(Manifest m) throws Exception {
        List<String> paths = new ArrayList<>();
        for (FileEntry f : m.files()) {
            Path local = S3.tempDir().resolve(f.key().replace('/', '_'));
            if (!Files.exists(local)) {
                Files.write(local, storage.getBytes(f.key()));
            }
            paths.add("'" + local + "'");
        }
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT grp, count(*), sum(id), sum(v) FROM read_parquet([" + String.join(",", paths)
                        + "]) GROUP BY grp ORDER BY grp")) {
            while (r.next()) {
                out.add(r.getString(1) + ":" + r.getLong(2) + ":" + r.getLong(3) + ":" + r.getDouble(4));
            }
        }
        return out;
    }

    @Test
    void sixtySmallAppendsCompactIntoOneFileAndEveryVersionStillAnswersAsBefore() throws Exception {
        String ds = "many";
        // 60, not the 200: each append costs ~0.1-0.2 s of upload + register here (the bench does 200)
        for (int i = 0; i < 60; i++) {
            Answer a = post(manual, "/ingest/" + ds + "?mode=append", rows(i * 10, 10));
            assertEquals(201, a.status(), a.body().toString());
        }
        List<Integer> sampled = List.of(1, 2, 31, 60);
        List<List<String>> before = new ArrayList<>();
        for (int v : sampled) {
            before.add(answer(catalog.version(ds, v)));
        }
        Answer c = post(manual, "/ingest/" + ds + "/compact", null);
        assertEquals(201, c.status(), c.body().toString());
        assertEquals(60, c.body().get("compaction").get("files_before").asInt());
        assertEquals(1, c.body().get("compaction").get("files_after").asInt());
        Manifest compacted = catalog.latest(ds).orElseThrow();
        assertEquals(61, compacted.version(), "a new version");
        assertEquals(1, compacted.files().size());
        assertEquals(600, compacted.rows());
        assertEquals(answer(catalog.version(ds, 60)), answer(compacted), "same answer as the last version");
        for (int i = 0; i < sampled.size(); i++) {
            assertEquals(before.get(i), answer(catalog.version(ds, sampled.get(i))),
                    "v" + sampled.get(i) + " answers as before: its files are all kept");
        }
        // catalogd's Iceberg metadata (datasets/{name}/metadata/, ADR 0023) is not a data file
        assertEquals(61, storage.listAll("datasets/" + ds + "/").stream().filter(o -> !o.key().contains("/metadata/")).count(),
                "60 small files kept for time travel + 1");

        Answer again = post(manual, "/ingest/" + ds + "/compact", null);
        assertEquals(200, again.status(), "one file: nothing to do");
        assertEquals(61, again.body().get("version").asInt());
        assertEquals(404, post(manual, "/ingest/nosuch/compact", null).status());
    }

    @Test
    void anAppendRegisteredDuringTheRewriteIsKeptInTheCompactedVersion() throws Exception {
        String ds = "raced";
        for (int i = 0; i < 3; i++) {
            assertEquals(201, post(manual, "/ingest/" + ds + "?mode=append", rows(i * 10, 10)).status());
        }
        DuckCsv duck = new DuckCsv("256MB", 1, S3.tempDir().resolve("duck-tmp"));
        PendingUploads pending = new PendingUploads(storage, catalog, java.time.Duration.ofMinutes(5));
        Compactor compactor = new Compactor(duck, storage, catalog, pending,
                new Ingester(storage, catalog, S3.tempDir(), pending), S3.tempDir(), 128L << 20, 0);
        Compactor.Rewritten r = compactor.rewrite(catalog.latest(ds).orElseThrow());
        // an append lands between the rewrite and its registration
        Answer late = post(manual, "/ingest/" + ds + "?mode=append", rows(1000, 5));
        assertEquals(201, late.status(), late.body().toString());
        String lateKey = late.body().get("files").get(3).get("key").asText();

        Manifest m = compactor.publish(ds, r).manifest();
        assertEquals(5, m.version(), "rebased onto the append's version");
        assertEquals(35, m.rows(), "the late append is not lost");
        assertEquals(List.of(r.files().get(0).key(), lateKey), m.files().stream().map(FileEntry::key).toList());
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!storage.listAll("_ingest/pending/").isEmpty() && System.nanoTime() < until) {
            Thread.sleep(20); // the clears run after the registration's answer (ADR 0047)
        }
        assertEquals(List.of(), storage.listAll("_ingest/pending/"), "intents cleared");
        compactor.close();
        duck.close();
    }

    @Test
    void aDatasetPastTheFileThresholdIsCompactedByItself() throws Exception {
        String ds = "auto_small";
        for (int i = 0; i < 4; i++) {
            assertEquals(201, post(auto, "/ingest/" + ds + "?mode=append", rows(i * 10, 10)).status());
        }
        Manifest m = catalog.latest(ds).orElseThrow();
        for (int i = 0; i < 200 && m.files().size() > 1; i++) {
            Thread.sleep(50);
            m = catalog.latest(ds).orElseThrow();
        }
        assertEquals(1, m.files().size(), "compacted after the 4th file: " + m.files().stream()
                .map(FileEntry::key).collect(Collectors.joining(", ")));
        assertEquals(5, m.version());
        assertEquals(40, m.rows());
        assertTrue("compaction".equals(m.files().get(0).source().get("format")), m.files().get(0).toString());
    }
}
