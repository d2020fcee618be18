package dev.lakehouse.ingestd;

import static dev.lakehouse.common.config.Service.CATALOGD;
import static dev.lakehouse.common.config.Service.INGESTD;
import static dev.lakehouse.common.config.Service.STORAGED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.catalogd.CatalogdMain;
import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.error.Conflict;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.common.model.ObjectInfo;
import dev.lakehouse.ingestd.api.IdempotentIngests;
import dev.lakehouse.ingestd.format.Converted;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ingestd with the real storaged, catalogd, embedded S3 and DuckDB, all in-process; Parquet read back with DuckDB. */
class IngestdTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();

    static final OkHttpClient http = S3Extension.signing(new OkHttpClient());
    static final MediaType CSV = MediaType.get("text/csv");
    static ServiceApp storaged;
    static ServiceApp catalogd;
    static ServiceApp ingestd;
    static ServiceApp ingestd2;
    static StorageClient storage;
    static CatalogClient catalog;

    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start).with(CATALOGD, CatalogdMain::start)
            .with(INGESTD, IngestdMain::start, Map.of("ingestd.duckdb_threads", "2"));

    @BeforeAll
    static void start() {
        storaged = FLEET.app(STORAGED);
        catalogd = FLEET.app(CATALOGD);
        ingestd = FLEET.app(INGESTD);
        ingestd2 = FLEET.another(INGESTD, IngestdMain::start, Map.of("ingestd.duckdb_threads", "2",
                "ingestd.spool_dir", S3.tempDir().resolve("spool2").toString(), "ingestd.max_csv_bytes", "100000"));
        storage = FLEET.storage();
        catalog = FLEET.catalog();
    }

    record Answer(int status, JsonNode body) {}

    static Answer ingest(ServiceApp app, String dataset, String mode, String csv) throws IOException {
        String url = app.baseUrl() + "/ingest/" + dataset + (mode == null ? "" : "?mode=" + mode);
        try (Response r = http.newCall(new Request.Builder().url(url).post(RequestBody.create(csv, CSV)).build()).execute()) {
            return new Answer(r.code(), Json.MAPPER.readTree(r.body().string()));
        }
    }

    static Answer ingest(String dataset, String mode, String csv) throws IOException {
        return ingest(ingestd, dataset, mode, csv);
    }

    static int status(String url) {
        try (Response r = http.newCall(new Request.Builder().url(url).build()).execute()) {
            return r.code();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Data files under {@code prefix}: catalogd's Iceberg metadata ({@code datasets/{name}/metadata/}, written
     * after each registration on its own thread, ADR 0023) is not ingest's to count. */
    static List<String> keys(String prefix) {
        return storage.listAll(prefix).stream().map(ObjectInfo::key).filter(k -> !k.contains("/metadata/")).sorted().toList();
    }

    /** The 201 body's manifest (without how the body was read: format, dialect). */
    static Manifest manifest(Answer a) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode m = a.body().deepCopy();
        m.remove(List.of("format", "dialect"));
        return Json.MAPPER.treeToValue(m, Manifest.class);
    }

    static final String TYPED = "id,price,active,day,at,name\n"
            + "1,9.5,true,2024-01-02,2024-01-02 10:11:12,\"Smith, Jane\"\n"
            + "2,10,false,2024-02-03,2024-02-03 00:00:00,\"say \"\"hi\"\"\"\n"
            + "3,,true,2024-03-04,2024-03-04 23:59:59,\n";

    @Test
    void csvBecomesZstdParquetWithInferredTypesAndARegisteredManifest() throws Exception {
        Answer a = ingest("typed", null, TYPED);
        assertEquals(201, a.status(), a.body().toString());
        Manifest m = manifest(a);
        assertEquals(1, m.version());
        assertEquals(3, m.rows());
        assertEquals(List.of(new ColumnSpec("id", "BIGINT"), new ColumnSpec("price", "DOUBLE"),
                new ColumnSpec("active", "BOOLEAN"), new ColumnSpec("day", "DATE"),
                new ColumnSpec("at", "TIMESTAMP"), new ColumnSpec("name", "VARCHAR")), m.schema());
        assertEquals(1, m.files().size());
        FileEntry f = m.files().get(0);
        assertTrue(f.key().matches("datasets/typed/[0-9a-f-]{36}\\.parquet"), f.key());
        assertEquals(3, f.rows());
        assertEquals(catalog.latest("typed").orElseThrow(), m);

        Path local = S3.tempDir().resolve("typed.parquet");
        Files.write(local, storage.getBytes(f.key()));
        assertEquals(f.bytes(), Files.size(local));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT * FROM read_parquet('" + local + "') ORDER BY id")) {
                assertTrue(r.next());
                assertEquals(1L, r.getLong("id"));
                assertEquals(9.5, r.getDouble("price"));
                assertEquals("Smith, Jane", r.getString("name"));
                assertEquals("2024-01-02", r.getString("day"));
                assertEquals("2024-01-02T10:11:12", r.getTimestamp("at").toLocalDateTime().toString());
                assertTrue(r.next());
                assertEquals("say \"hi\"", r.getString("name"));
                assertTrue(!r.getBoolean("active"));
                assertTrue(r.next());
                r.getDouble("price");
                assertTrue(r.wasNull(), "an empty field is NULL");
            }
            try (ResultSet r = s.executeQuery("SELECT DISTINCT compression FROM parquet_metadata('" + local + "')")) {
                assertTrue(r.next());
                assertEquals("ZSTD", r.getString(1));
                assertTrue(!r.next());
            }
        }
    }

    @Test
    void anIngestAnswersTheWallAndCpuTimeOfEachPhaseInAServerTimingHeader() throws Exception {
        String url = ingestd.baseUrl() + "/ingest/phased";
        long t0 = System.nanoTime();
        String timing;
        try (Response r = http.newCall(new Request.Builder().url(url).post(RequestBody.create(TYPED, CSV)).build()).execute()) {
            assertEquals(201, r.code(), r.body().string());
            timing = r.header("Server-Timing");
        }
        double clientMs = (System.nanoTime() - t0) / 1e6;
        assertTrue(timing != null, "no Server-Timing header");
        Map<String, Map<String, Double>> phases = new java.util.LinkedHashMap<>();
        for (String entry : timing.split(",\\s*")) {
            String[] parts = entry.split(";");
            Map<String, Double> params = new java.util.HashMap<>();
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=");
                params.put(kv[0], Double.parseDouble(kv[1]));
            }
            phases.put(parts[0], params);
        }
        assertEquals(List.of("spool", "plan", "sniff", "checks", "convert", "exact", "upload", "register"),
                List.copyOf(phases.keySet()), timing);
        double wall = 0;
        double cpu = 0;
        for (Map<String, Double> p : phases.values()) {
            assertEquals(Set.of("dur", "cpu", "tcpu"), p.keySet(), timing);
            assertTrue(p.values().stream().allMatch(v -> v >= 0), timing);
            wall += p.get("dur");
            cpu += p.get("cpu");
        }
        assertTrue(wall <= clientMs, "phases " + wall + " ms within the request's " + clientMs + " ms");
        assertTrue(phases.get("convert").get("cpu") + phases.get("sniff").get("cpu") > 0, timing);
    }

    @Test
    void appendAddsAFileAndReplaceStartsOver() throws Exception {
        String ds = "growing";
        assertEquals(201, ingest(ds, null, "id,score\n1,1.5\n2,2.5\n").status());
        // integers into a DOUBLE column widen; counts add up
        Answer a2 = ingest(ds, "append", "id,score\n3,3\n4,4\n5,5\n");
        assertEquals(201, a2.status(), a2.body().toString());
        Manifest m2 = manifest(a2);
        assertEquals(2, m2.version());
        assertEquals(5, m2.rows());
        assertEquals(2, m2.files().size());
        assertEquals(List.of(new ColumnSpec("id", "BIGINT"), new ColumnSpec("score", "DOUBLE")), m2.schema());
        Answer r = ingest(ds, "replace", "name\nx\n");
        assertEquals(201, r.status(), r.body().toString());
        Manifest m3 = manifest(r);
        assertEquals(3, m3.version());
        assertEquals(1, m3.rows());
        assertEquals(List.of(new ColumnSpec("name", "VARCHAR")), m3.schema());
        assertEquals(1, m3.files().size());
    }

    @Test
    void schemaDriftIs409WithExpectedAndGotAndWritesNothing() throws Exception {
        String ds = "drifty";
        assertEquals(201, ingest(ds, null, "id,name\n1,a\n").status());
        List<String> before = keys("datasets/drifty/");

        Answer renamed = ingest(ds, "append", "id,title\n2,b\n");
        assertEquals(409, renamed.status(), renamed.body().toString());
        assertTrue(renamed.body().get("error").asText().contains("'title'"), renamed.body().toString());
        assertEquals("name", renamed.body().get("expected").get(1).get("name").asText());
        assertEquals("title", renamed.body().get("got").get(1).get("name").asText());

        Answer retyped = ingest(ds, "append", "id,name\nabc,b\n");
        assertEquals(409, retyped.status(), retyped.body().toString());
        assertEquals("BIGINT", retyped.body().get("expected").get(0).get("type").asText());
        assertEquals("VARCHAR", retyped.body().get("got").get(0).get("type").asText());

        assertEquals(409, ingest(ds, null, "id,name,extra\n2,b,c\n").status());
        assertEquals(before, keys("datasets/drifty/"), "nothing uploaded");
        assertEquals(1, catalog.latest(ds).orElseThrow().version(), "nothing registered");
    }

    @Test
    void malformedCsvIs400NamingTheLineAndLeavesNothing() throws Exception {
        String ds = "broken";
        assertBad(ds, "a,b\n1,2\n3,4,5\n6,7\n", "line 3");
        assertBad(ds, "a,b\n1,2\n3,\"unterminated\n5,6\n", "line 3");
        assertBad(ds, "a,b\n1,2\n3,\"x\"y\n", "line 3");
        assertBad(ds, "", "line 1");
        assertBad(ds, "a,b\n", "line 2");
        assertBad(ds, "a,a\n1,2\n", "line 1");
        assertBad(ds, "a,,c\n1,2,3\n", "line 1");
        // a ragged row far past DuckDB's sniffing sample is still found and named
        StringBuilder big = new StringBuilder("a,b\n");
        for (int i = 0; i < 30_000; i++) {
            big.append(i).append(',').append(i).append('\n');
        }
        big.append("1,2,3\n");
        assertBad(ds, big.toString(), "line 30002");
        assertTrue(catalog.latest(ds).isEmpty(), "nothing registered");
        assertEquals(List.of(), keys("datasets/broken/"), "no orphan parquet");
    }

    static void assertBad(String ds, String csv, String needle) throws IOException {
        Answer a = ingest(ds, null, csv);
        assertEquals(400, a.status(), a.body().toString());
        assertTrue(a.body().get("error").asText().contains(needle), "want '" + needle + "' in " + a.body());
    }

    @Test
    void aValueThatBreaksTheSampledTypeFallsBackToTheWholeFile() throws Exception {
        StringBuilder csv = new StringBuilder("code,n\n");
        for (int i = 0; i < 30_000; i++) {
            csv.append(i).append(',').append(i).append('\n');
        }
        csv.append("A-17,1\n");
        Answer a = ingest("late_text", null, csv.toString());
        assertEquals(201, a.status(), a.body().toString());
        Manifest m = manifest(a);
        assertEquals(List.of(new ColumnSpec("code", "VARCHAR"), new ColumnSpec("n", "BIGINT")), m.schema());
        assertEquals(30_001, m.rows());
    }

    @Test
    void badNameOrModeIs400AndOversizeIs413() throws Exception {
        assertEquals(400, ingest("Bad-Name", null, "a\n1\n").status());
        assertEquals(400, ingest("okname", "upsert", "a\n1\n").status());
        Answer big = ingest(ingestd2, "toobig", null, "a\n" + "1\n".repeat(60_000));
        assertEquals(413, big.status(), big.body().toString());
        assertTrue(catalog.latest("toobig").isEmpty());
    }

    /** A real Parquet file of one BIGINT column {@code id} and one row: catalogd checks registered files' footers. */
    static Path parquetOfOneId(Path file) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                java.sql.Statement st = c.createStatement()) {
            st.execute("COPY (SELECT 1::BIGINT AS id) TO '" + file + "' (FORMAT parquet)");
        }
        return file;
    }

    @Test
    void aRegistrationRefusedAfterTheUploadDeletesTheUploadedFile() throws Exception {
        String ds = "refused";
        assertEquals(201, ingest(ds, null, "id\n1\n").status());
        List<String> before = keys("datasets/refused/");
        Path parquet = parquetOfOneId(S3.tempDir().resolve("refused.parquet"));
        Ingester ingester = new Ingester(storage, catalog, S3.tempDir(),
                new PendingUploads(storage, catalog, java.time.Duration.ZERO));
        // a stale view of the dataset (as if another writer registered after we read it): catalogd answers 409
        Conflict refused = assertThrows(Conflict.class, () -> ingester.publish(ds, Ingester.Mode.APPEND, Optional.empty(),
                new Converted(List.of(new ColumnSpec("id", "BIGINT")), 1), parquet));
        assertEquals(1, refused.details().get("current_version"));
        assertEquals(before, keys("datasets/refused/"), "the uploaded file was deleted again");
        assertEquals(List.of(), keys("_ingest/pending/"), "and its intent resolved");
        assertEquals(1, catalog.latest(ds).orElseThrow().version());
    }

    @Test
    void concurrentAppendsFromTwoIngestdsNeverLeaveOrphansOrLoseRows() throws Exception {
        String ds = "contended";
        assertEquals(201, ingest(ds, null, "id\n0\n").status());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Answer>> fs = new ArrayList<>();
        try {
            for (int i = 1; i <= 8; i++) {
                ServiceApp target = i % 2 == 0 ? ingestd : ingestd2;
                String csv = "id\n" + i + "\n";
                fs.add(pool.submit(() -> ingest(target, ds, "append", csv)));
            }
            long acked = 1;
            int conflicts = 0;
            for (Future<Answer> f : fs) {
                Answer a = f.get();
                if (a.status() == 201) {
                    acked++;
                } else {
                    assertEquals(409, a.status(), a.body().toString());
                    conflicts++;
                }
            }
            Manifest latest = catalog.latest(ds).orElseThrow();
            assertEquals(acked, latest.rows(), "every acknowledged append is in the latest version");
            Set<String> referenced = latest.files().stream().map(FileEntry::key).collect(Collectors.toSet());
            assertEquals(referenced, Set.copyOf(keys("datasets/contended/")),
                    "every stored file is referenced (" + conflicts + " conflicting appends cleaned up)");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anUploadWhoseOutcomeIsUnknownStaysPendingUntilTheJanitorDecides() throws Exception {
        String ds = "unknown_outcome";
        Path parquet = parquetOfOneId(S3.tempDir().resolve("unknown.parquet"));
        // catalogd unreachable while registering: the outcome cannot be known, so nothing is deleted yet
        CatalogClient deadCatalog = new CatalogClient("http://127.0.0.1:9", S3.credential());
        PendingUploads blind = new PendingUploads(storage, deadCatalog, java.time.Duration.ZERO);
        Ingester ingester = new Ingester(storage, deadCatalog, S3.tempDir(), blind);
        assertThrows(dev.lakehouse.common.error.BadGateway.class, () -> ingester.publish(ds, Ingester.Mode.APPEND,
                Optional.empty(), new Converted(List.of(new ColumnSpec("id", "BIGINT")), 1), parquet));
        assertEquals(1, keys("datasets/" + ds + "/").size(), "file kept while the outcome is unknown");
        assertEquals(1, keys("_ingest/pending/").size());
        assertEquals(0, blind.sweep(), "still unknown: nothing decided");

        // catalogd back, and the file is in no manifest: the janitor removes file and intent
        PendingUploads janitor = new PendingUploads(storage, catalog, java.time.Duration.ZERO);
        assertEquals(1, janitor.sweep());
        assertEquals(List.of(), keys("datasets/" + ds + "/"));
        assertEquals(List.of(), keys("_ingest/pending/"));
    }

    @Test
    void aRegistrationThatLandedButWhoseAnswerWasLostKeepsItsFile() throws Exception {
        String ds = "lost_answer";
        String key = "datasets/" + ds + "/0b7e1c2a-lost.parquet";
        PendingUploads pending = new PendingUploads(storage, catalog, java.time.Duration.ZERO);
        pending.record(ds, key);
        var put = storage.put(key, parquetOfOneId(S3.tempDir().resolve("lost.parquet")));
        // catalogd wrote the manifest, then died before answering ingestd
        catalog.register(ds, new dev.lakehouse.common.model.RegisterRequest(List.of(new ColumnSpec("id", "BIGINT")),
                List.of(new FileEntry(key, 1, put.size(), put.etag())), 0));
        // and an upload from an ingestd killed before it could register
        String orphan = "datasets/" + ds + "/9f00aa11-crashed.parquet";
        pending.record(ds, orphan);
        storage.put(orphan, new byte[] {1});

        assertEquals(2, pending.sweep());
        assertEquals(List.of(key), keys("datasets/" + ds + "/"), "the registered file stays, the orphan goes");
        assertEquals(List.of(), keys("_ingest/pending/"));
    }

    @Test
    void anIntentLeftForVersionOnesFileSurvivesFortyReplacesAndTheJanitorKeepsTheFile() throws Exception {
        String ds = "long_history";
        assertEquals(201, ingest(ds, null, "id\n1\n").status());
        String v1File = catalog.version(ds, 1).files().get(0).key();
        PendingUploads pending = new PendingUploads(storage, catalog, java.time.Duration.ZERO);
        pending.record(ds, v1File); // as if ingestd died between registering v1 and clearing its intent
        for (int i = 0; i < 40; i++) {
            assertEquals(201, ingest(ds, "replace", "id\n" + (i + 2) + "\n").status());
        }
        assertEquals(41, catalog.latest(ds).orElseThrow().version());

        // on a slow machine the forty replaces outlast ingestd.pending_grace and the service's own janitor resolves the
        // intent first; either janitor must keep the file
        assertTrue(pending.sweep() <= 1);
        assertTrue(storage.exists(v1File), "version 1 still references its file: kept");
        assertEquals(List.of(), keys("_ingest/pending/"), "the intent is resolved");
        assertEquals(1, catalog.firstVersionReferencing(ds, v1File).getAsInt());
    }

    @Test
    void aBare404FromAMisroutedCatalogUrlDeletesNothing() throws Exception {
        String ds = "misrouted";
        String key = "datasets/" + ds + "/5d1e0c3a-kept.parquet";
        storage.put(key, new byte[] {1, 2});
        // catalogd.url pointing at storaged: every catalog path is a 404, but not catalogd's "not referenced"
        CatalogClient misrouted = new CatalogClient(storaged.baseUrl(), S3.credential());
        PendingUploads janitor = new PendingUploads(storage, misrouted, java.time.Duration.ZERO);
        janitor.record(ds, key);
        assertEquals(0, janitor.sweep(), "nothing decided");
        assertTrue(storage.exists(key), "the data file is kept");
        assertEquals(1, keys("_ingest/pending/").stream().filter(k -> k.contains("5d1e0c3a")).count(), "intent kept");
        janitor.clear(key);
        storage.delete(key);
    }

    static Answer ingestWithKey(ServiceApp app, String dataset, String mode, String csv, String key) throws IOException {
        String url = app.baseUrl() + "/ingest/" + dataset + "?mode=" + mode;
        try (Response r = http.newCall(new Request.Builder().url(url).header("Idempotency-Key", key)
                .post(RequestBody.create(csv, CSV)).build()).execute()) {
            return new Answer(r.code(), Json.MAPPER.readTree(r.body().string()));
        }
    }

    @Test
    void aRetriedIngestWithTheSameKeyAnswersTheOriginalVersionEvenFromAnotherIngestdAndNeverAppendsTwice() throws Exception {
        String ds = "idem_ingest";
        Answer first = ingestWithKey(ingestd, ds, "append", "id\n1\n2\n", "k-1");
        assertEquals(201, first.status(), first.body().toString());
        Answer again = ingestWithKey(ingestd, ds, "append", "id\n1\n2\n", "k-1");
        assertEquals(201, again.status());
        assertEquals(first.body(), again.body(), "the original manifest");
        Answer elsewhere = ingestWithKey(ingestd2, ds, "append", "id\n1\n2\n", "k-1");
        assertEquals(first.body(), elsewhere.body(), "remembered in storage, not in one process");
        assertEquals(1, catalog.latest(ds).orElseThrow().version());
        assertEquals(2, catalog.latest(ds).orElseThrow().rows(), "rows appended once");

        Answer reused = ingestWithKey(ingestd, ds, "append", "id\n3\n", "k-1");
        assertEquals(409, reused.status());
        assertEquals("idempotency_key_reused", reused.body().get("code").asText());
        assertEquals(1, catalog.latest(ds).orElseThrow().version());
    }

    @Test
    void aRetryAfterTheIngestLandedButItsAnswerWasLostFindsThePlannedFileAndAnswersThatVersion() throws Exception {
        String ds = "idem_landed";
        assertEquals(201, ingest(ds, null, "id\n0\n").status());
        // the first attempt: PENDING record naming its file, the file registered as v2, then ingestd died
        var store = new dev.lakehouse.common.idempotency.IdempotencyStore(
                new dev.lakehouse.common.idempotency.StorageRecords(storage), "ingestd", java.time.Duration.ofHours(24),
                java.time.Clock.systemUTC());
        String csv = "id\n5\n6\n";
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(csv.getBytes());
        String hash = IdempotentIngests.requestHash(ds, Ingester.Mode.APPEND, "mode=append", "text/csv", digest);
        String planned = Ingester.newFileKey(ds);
        store.pending(IdempotentIngests.SCOPE, "lost-answer", hash, Map.of("file", planned, "dataset", ds));
        // a real Parquet file of the two rows: catalogd checks every registered file against its footer
        Path twoRows = S3.tempDir().resolve("lost-answer.parquet");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                java.sql.Statement st = c.createStatement()) {
            st.execute("COPY (SELECT * FROM (VALUES (5::BIGINT), (6::BIGINT)) t(id)) TO '" + twoRows + "' (FORMAT parquet)");
        }
        var put = storage.put(planned, twoRows);
        Manifest v1 = catalog.latest(ds).orElseThrow();
        List<FileEntry> files = new ArrayList<>(v1.files());
        files.add(new FileEntry(planned, 2, put.size(), put.etag()));
        catalog.register(ds, new dev.lakehouse.common.model.RegisterRequest(v1.schema(), files, 1));

        Answer retry = ingestWithKey(ingestd, ds, "append", csv, "lost-answer");
        assertEquals(201, retry.status(), retry.body().toString());
        assertEquals(2, retry.body().get("version").asInt(), "the version the first attempt made");
        assertEquals(2, catalog.latest(ds).orElseThrow().version(), "no second append");
        assertEquals(3, catalog.latest(ds).orElseThrow().rows());
    }
}
