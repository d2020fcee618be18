package dev.lakehouse.catalogd;

import static dev.lakehouse.common.config.Service.CATALOGD;
import static dev.lakehouse.common.config.Service.STORAGED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.Conflict;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.error.ServiceUnavailable;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.common.model.DatasetSummary;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.common.model.ObjectInfo;
import dev.lakehouse.common.model.RegisterRequest;
import dev.lakehouse.common.model.Registration;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** catalogd against the real storaged on the real embedded S3, both in-process. */
class CatalogdTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();

    static final List<ColumnSpec> SCHEMA = List.of(new ColumnSpec("id", "BIGINT"), new ColumnSpec("name", "VARCHAR"));
    static final OkHttpClient http = S3Extension.signing(new OkHttpClient());

    static final Map<String, String> KEYS = Map.of("catalogd.rehydrate_retry", "100ms");
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start);

    static StorageClient storage;
    static ServiceApp catalogd;
    static CatalogClient client;

    @BeforeAll
    static void start() {
        storage = FLEET.storage();
        FLEET.start(CATALOGD, CatalogdMain::start, KEYS);
        started();
    }

    /** Starts catalogd again (after {@code FLEET.stop(CATALOGD)}); it is ready when this returns. */
    static void startCatalogd() {
        FLEET.start(CATALOGD);
        started();
    }

    static void started() {
        catalogd = FLEET.app(CATALOGD);
        client = FLEET.catalog();
    }

    /** A catalogd on another storaged URL, not waited for; the caller closes it. */
    static ServiceApp startCatalogd(String storagedUrl) {
        Map<String, String> keys = new java.util.HashMap<>(KEYS);
        keys.put("storaged.url", storagedUrl);
        return CatalogdMain.start(FLEET.config(CATALOGD, keys));
    }

    static int status(String url) {
        try (Response r = http.newCall(new Request.Builder().url(url).build()).execute()) {
            return r.code();
        } catch (IOException e) {
            return -1;
        }
    }

    static void restartCatalogd() {
        FLEET.stop(CATALOGD);
        startCatalogd();
    }

    /** A real Parquet file of {@link #SCHEMA} with {@code rows} rows, put under {@code datasets/{ds}/{name}.parquet}. */
    static FileEntry file(String ds, String name, long rows) {
        return parquet("datasets/" + ds + "/" + name + ".parquet",
                "SELECT range AS id, 'n' || range AS name FROM range(" + rows + ")");
    }

    /** Writes {@code select} as Parquet with DuckDB, puts it at {@code key}, returns its true file entry. */
    static FileEntry parquet(String key, String select) {
        return TestLake.put(storage, S3.tempDir(), key, select);
    }

    static RegisterRequest req(List<FileEntry> files, Integer expected) {
        return new RegisterRequest(SCHEMA, files, expected);
    }

    @Test
    void registersVersionsIdempotentlyWithOptimisticConcurrency() {
        String ds = "orders";
        Registration r1 = client.register(ds, req(List.of(file(ds, "a", 3)), null));
        assertTrue(r1.created());
        assertEquals(1, r1.manifest().version());
        assertEquals(3, r1.manifest().rows());
        assertEquals(ds, r1.manifest().dataset());
        assertTrue(r1.manifest().contentHash().startsWith("sha256:"));

        Registration again = client.register(ds, req(List.of(file(ds, "a", 3)), null));
        assertFalse(again.created(), "same content must not create a version");
        assertEquals(r1.manifest(), again.manifest());

        Registration r2 = client.register(ds, req(List.of(file(ds, "a", 3), file(ds, "b", 4)), 1));
        assertTrue(r2.created());
        assertEquals(2, r2.manifest().version());
        assertEquals(7, r2.manifest().rows());

        Conflict stale = assertThrows(Conflict.class, () -> client.register(ds, req(List.of(file(ds, "c", 1)), 1)));
        assertEquals(2, stale.details().get("current_version"));
        assertEquals(2, client.latest(ds).orElseThrow().version());

        // a retried request whose first attempt landed: same content, stale expected_version -> the existing version
        Registration retry = client.register(ds, req(List.of(file(ds, "a", 3), file(ds, "b", 4)), 1));
        assertFalse(retry.created());
        assertEquals(2, retry.manifest().version());

        assertEquals(r1.manifest(), client.version(ds, 1));
        assertEquals(r2.manifest(), client.version(ds, 2));
        assertThrows(NotFound.class, () -> client.version(ds, 3));
        assertThrows(NotFound.class, () -> client.version(ds, 0));

        // written once, under the documented key, as the manifest JSON
        assertTrue(storage.exists("_catalog/orders/1.json"));
        assertEquals(r2.manifest(), readManifest("_catalog/orders/2.json"));
    }

    @Test
    void olderContentRegisteredAgainIsANewVersion() {
        String ds = "rollback";
        RegisterRequest a = req(List.of(file(ds, "a", 1)), null);
        RegisterRequest b = req(List.of(file(ds, "b", 2)), null);
        assertEquals(1, client.register(ds, a).manifest().version());
        assertEquals(2, client.register(ds, b).manifest().version());
        Registration back = client.register(ds, a);
        assertTrue(back.created());
        assertEquals(3, back.manifest().version());
        assertEquals(client.version(ds, 1).contentHash(), back.manifest().contentHash());
    }

    @Test
    void expectedVersionZeroMeansCreateOnly() {
        String ds = "create_only";
        assertEquals(1, client.register(ds, req(List.of(file(ds, "a", 1)), 0)).manifest().version());
        assertThrows(Conflict.class, () -> client.register(ds, req(List.of(file(ds, "b", 1)), 0)));
    }

    @Test
    void concurrentIdenticalRegistrationsMakeExactlyOneVersion() throws Exception {
        String ds = "racy";
        FileEntry same = file(ds, "same", 5);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Registration>> fs = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                Callable<Registration> c = () -> {
                    go.await();
                    return client.register(ds, req(List.of(same), null));
                };
                fs.add(pool.submit(c));
            }
            go.countDown();
            int created = 0;
            for (Future<Registration> f : fs) {
                Registration r = f.get();
                assertEquals(1, r.manifest().version());
                created += r.created() ? 1 : 0;
            }
            assertEquals(1, created, "exactly one registration creates the version");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("_catalog/racy/1.json"), keys("_catalog/racy/"));
    }

    @Test
    void concurrentDifferentRegistrationsGetDistinctVersions() throws Exception {
        String ds = "busy";
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Registration>> fs = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                FileEntry f = file(ds, "f" + i, 1);
                fs.add(pool.submit(() -> client.register(ds, req(List.of(f), null))));
            }
            List<Integer> versions = new ArrayList<>();
            for (Future<Registration> f : fs) {
                versions.add(f.get().manifest().version());
            }
            versions.sort(null);
            assertEquals(List.of(1, 2, 3, 4, 5, 6), versions);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsBadNamesAndBodies() throws IOException {
        assertThrows(BadRequest.class, () -> client.register("Bad-Name", req(List.of(), null)));
        assertThrows(BadRequest.class, () -> client.register("9lives", req(List.of(), null)));
        assertThrows(BadRequest.class, () -> client.register("a" + "b".repeat(63), req(List.of(), null)));
        assertThrows(BadRequest.class, () -> client.latest("UPPER"));
        assertThrows(BadRequest.class, () -> client.register("okname", new RegisterRequest(
                List.of(new ColumnSpec("x", "INTEGER")), List.of(), null)));
        assertEquals(400, post(catalogd.baseUrl() + "/datasets/okname/manifests", "{\"schema\": [}"));
        assertEquals(400, post(catalogd.baseUrl() + "/datasets/okname/manifests", "{\"schema\": [], \"files\": [], \"bogus\": 1}"));
        assertEquals(400, status(catalogd.baseUrl() + "/datasets/okname/versions/x"));
        assertTrue(client.latest("okname").isEmpty(), "nothing registered by rejected requests");
        assertTrue(client.latest("never_registered").isEmpty());
        assertThrows(NotFound.class, () -> client.delete("never_registered"));
    }

    @Test
    void listsDatasetsWithLatestVersionAndRows() {
        client.register("list_b", req(List.of(file("list_b", "x", 2)), null));
        client.register("list_a", req(List.of(file("list_a", "x", 1)), null));
        client.register("list_a", req(List.of(file("list_a", "x", 1), file("list_a", "y", 9)), null));
        List<DatasetSummary> all = client.list();
        DatasetSummary a = all.stream().filter(s -> s.name().equals("list_a")).findFirst().orElseThrow();
        DatasetSummary b = all.stream().filter(s -> s.name().equals("list_b")).findFirst().orElseThrow();
        assertEquals(2, a.latestVersion());
        assertEquals(10, a.rows());
        assertEquals(1, b.latestVersion());
        assertTrue(all.indexOf(a) < all.indexOf(b), "sorted by name");
        assertTrue(a.updatedAt().isAfter(Instant.now().minusSeconds(60)));
    }

    @Test
    void restartRehydratesEveryAcknowledgedRegistration() throws Exception {
        String ds = "durable";
        Manifest v1 = client.register(ds, req(List.of(file(ds, "a", 1)), null)).manifest();
        Manifest v2 = client.register(ds, req(List.of(file(ds, "a", 1), file(ds, "b", 2)), null)).manifest();
        restartCatalogd();
        assertEquals(v2, client.latest(ds).orElseThrow());
        assertEquals(v1, client.version(ds, 1));
        assertTrue(client.list().stream().anyMatch(s -> s.name().equals(ds) && s.latestVersion() == 2));
        // idempotency survives the restart: same content is still not a new version
        assertFalse(client.register(ds, req(List.of(file(ds, "b", 2), file(ds, "a", 1)), null)).created());
        assertEquals(3, client.register(ds, req(List.of(file(ds, "c", 1)), 2)).manifest().version());
    }

    @Test
    void deleteRemovesManifestsAndOwnDataFilesDurably() throws Exception {
        String ds = "doomed";
        client.register(ds, req(List.of(file(ds, "a", 1)), null));
        client.register(ds, req(List.of(file(ds, "b", 1), file("other", "keep", 1)), null));
        client.delete(ds);
        assertTrue(client.latest(ds).isEmpty());
        assertThrows(NotFound.class, () -> client.version(ds, 1));
        assertTrue(client.list().stream().noneMatch(s -> s.name().equals(ds)));
        assertEquals(List.of(), keys("_catalog/doomed/"));
        assertEquals(List.of(), keys("datasets/doomed/"));
        assertTrue(storage.exists("datasets/other/keep.parquet"), "files outside datasets/doomed/ are not ours to delete");

        restartCatalogd();
        assertTrue(client.latest(ds).isEmpty(), "a deleted dataset stays deleted after restart");
        Registration fresh = client.register(ds, req(List.of(file(ds, "n", 1)), 0));
        assertEquals(1, fresh.manifest().version(), "the name starts over");
    }

    @Test
    void olderVersionsComeFromMemoryAndAreForgottenWithTheirDataset() throws Exception {
        String ds = "travel";
        Manifest v1 = client.register(ds, req(List.of(file(ds, "a", 1)), null)).manifest();
        Manifest v2 = client.register(ds, req(List.of(file(ds, "b", 2)), null)).manifest();
        client.register(ds, req(List.of(file(ds, "c", 3)), null));
        long hits = olderVersions("hits");
        long misses = olderVersions("misses");
        assertEquals(v1, client.version(ds, 1));
        assertEquals(v2, client.version(ds, 2));
        assertEquals(v1, client.version(ds, 1));
        // v1 and v2 were kept when their successors were registered: no storage read for any of the three
        assertEquals(hits + 3, olderVersions("hits"));
        assertEquals(misses, olderVersions("misses"));

        // after a restart the first read of an older version goes to storage, the next one does not
        restartCatalogd();
        assertEquals(v1, client.version(ds, 1));
        assertEquals(v1, client.version(ds, 1));
        assertEquals(1, olderVersions("misses"));
        assertEquals(1, olderVersions("hits"));

        // the name starts over after a delete: its remembered versions go with it
        long kept = olderVersions("manifests");
        client.delete(ds);
        assertEquals(kept - 1, olderVersions("manifests"));
        assertThrows(NotFound.class, () -> client.version(ds, 1));
        Manifest n1 = client.register(ds, req(List.of(file(ds, "x", 9)), 0)).manifest();
        client.register(ds, req(List.of(file(ds, "y", 8)), null));
        assertEquals(n1, client.version(ds, 1));
        assertEquals(List.of(file(ds, "x", 9)), client.version(ds, 1).files());
    }

    /** A counter of catalogd's older-version cache, from /health. */
    static long olderVersions(String field) throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(catalogd.baseUrl() + "/health").build()).execute()) {
            return Json.MAPPER.readTree(r.body().bytes()).path("older_versions").path(field).asLong(-1);
        }
    }

    @Test
    void restartFinishesADeleteCutShort() throws Exception {
        String ds = "half_deleted";
        client.register(ds, req(List.of(file(ds, "a", 1)), null));
        client.register(ds, req(List.of(file(ds, "b", 1)), null));
        FLEET.stop(CATALOGD);
        // what a crash right after the tombstone PUT leaves behind
        storage.put("_catalog/half_deleted/_deleted.json",
                Json.bytes(new ManifestStore.Tombstone(ds, 2, Instant.now())));
        startCatalogd();
        assertTrue(client.latest(ds).isEmpty());
        assertEquals(List.of(), keys("_catalog/half_deleted/"));
        assertFalse(storage.exists("datasets/half_deleted/a.parquet"));
    }

    @Test
    void answers503UntilStoragedIsReachable() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        try (ServiceApp blind = startCatalogd("http://127.0.0.1:" + dead)) {
            assertEquals(503, status(blind.baseUrl() + "/health"));
            CatalogClient c = new CatalogClient(blind.baseUrl(), S3.credential());
            assertThrows(ServiceUnavailable.class, c::list);
            assertThrows(ServiceUnavailable.class, () -> c.register("x", req(List.of(), null)));
        }
    }

    @Test
    void aManifestThatLiesAboutItsFileIsRefusedSayingWhatDiffers() throws IOException {
        String ds = "liar";
        FileEntry real = file(ds, "a", 3);
        // the case: rows 5 and the wrong column types for a file of 3 rows
        RegisterRequest lie = new RegisterRequest(List.of(new ColumnSpec("id", "VARCHAR"), new ColumnSpec("name", "BIGINT")),
                List.of(new FileEntry(real.key(), 5, real.bytes(), real.etag())), null);
        BadRequest e = assertThrows(BadRequest.class, () -> client.register(ds, lie));
        assertEquals("manifest_mismatch", e.details().get("code"));
        assertEquals(List.of("rows", "columns"), fields(e));
        assertTrue(e.getMessage().contains("rows is 3, the manifest says 5"), e.getMessage());

        // size, ETag and a missing object are each named too
        BadRequest sizes = assertThrows(BadRequest.class, () -> client.register(ds, req(List.of(
                new FileEntry(real.key(), 3, real.bytes() + 1, "\"0123\""),
                new FileEntry("datasets/liar/absent.parquet", 1, 1, "x")), null)));
        assertEquals(List.of("bytes", "etag", "object"), fields(sizes));

        // not Parquet at all
        storage.put("datasets/liar/text.parquet", "hello, not parquet".getBytes());
        ObjectInfo text = storage.head("datasets/liar/text.parquet").orElseThrow();
        BadRequest notParquet = assertThrows(BadRequest.class, () -> client.register(ds, req(List.of(
                new FileEntry(text.key(), 1, text.size(), text.etag())), null)));
        assertEquals(List.of("parquet_footer"), fields(notParquet));

        assertTrue(client.latest(ds).isEmpty(), "nothing registered by a lying manifest");
        assertTrue(client.register(ds, req(List.of(real), null)).created(), "the truth registers");
    }

    @Test
    void aFooterLargerThanTheTailReadBesideTheHeadIsStillReadAndChecked() {
        // 1,200 columns: a footer of well over the 64 KiB read speculatively beside the HEAD
        StringBuilder select = new StringBuilder("SELECT ");
        List<ColumnSpec> schema = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            select.append(i == 0 ? "" : ", ").append("range AS column_with_a_long_name_").append(i);
            schema.add(new ColumnSpec("column_with_a_long_name_" + i, "BIGINT"));
        }
        FileEntry wide = parquet("datasets/wide/a.parquet", select + " FROM range(3)");
        List<ColumnSpec> wrong = new ArrayList<>(schema);
        wrong.set(1199, new ColumnSpec("column_with_a_long_name_1199", "VARCHAR"));
        BadRequest e = assertThrows(BadRequest.class, () -> client.register("wide", new RegisterRequest(wrong, List.of(wide), null)));
        assertEquals(List.of("columns"), fields(e), "the last column of the large footer was read");
        assertEquals(3, client.register("wide", new RegisterRequest(schema, List.of(wide), null)).manifest().rows());
    }

    @Test
    void filesPastTheFirstBatchOfChecksAreVerifiedAndListedInTheirOrder() {
        String ds = "batches";
        List<FileEntry> files = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            files.add(file(ds, "f" + i, 2));
        }
        List<FileEntry> lying = new ArrayList<>(files);
        lying.set(9, new FileEntry(files.get(9).key(), 7, files.get(9).bytes(), files.get(9).etag()));
        lying.set(10, new FileEntry(files.get(10).key(), 2, files.get(10).bytes() - 1, files.get(10).etag()));
        BadRequest e = assertThrows(BadRequest.class, () -> client.register(ds, req(lying, null)));
        assertEquals(List.of("rows", "bytes"), fields(e));
        assertTrue(e.getMessage().startsWith("the manifest does not match its files: " + files.get(9).key() + " rows"),
                e.getMessage());
        assertEquals(22, client.register(ds, req(files, null)).manifest().rows());
    }

    @Test
    void everyColumnTypeIsReadFromTheFooterAsDuckDbNamesIt() {
        FileEntry f = parquet("datasets/typed/a.parquet", "SELECT 1::BIGINT AS b, 1.5::DOUBLE AS d, true AS t, "
                + "DATE '2024-01-02' AS day, TIMESTAMP '2024-01-02 03:04:05' AS ts, 'x' AS s FROM range(4)");
        List<ColumnSpec> schema = List.of(new ColumnSpec("b", "BIGINT"), new ColumnSpec("d", "DOUBLE"),
                new ColumnSpec("t", "BOOLEAN"), new ColumnSpec("day", "DATE"), new ColumnSpec("ts", "TIMESTAMP"),
                new ColumnSpec("s", "VARCHAR"));
        Registration r = client.register("typed", new RegisterRequest(schema, List.of(f), null));
        assertEquals(4, r.manifest().rows());
    }

    @Test
    void aCorruptManifestObjectFailsOnlyItsDatasetAndCatalogdStillServesTheOthers() throws Exception {
        Manifest good = client.register("healthy", req(List.of(file("healthy", "a", 2)), null)).manifest();
        // the wedge: a 1-byte object at a manifest key whose version is out of range, and garbage at a valid one
        storage.put("_catalog/zzz/99999999999.json", new byte[] {'x'});
        storage.put("_catalog/yyy/1.json", new byte[] {'x'});
        try {
            restartCatalogd();
            assertEquals(200, status(catalogd.baseUrl() + "/health"));
            assertEquals(good, client.latest("healthy").orElseThrow());
            try (Response r = http.newCall(new Request.Builder().url(catalogd.baseUrl() + "/datasets").build()).execute()) {
                com.fasterxml.jackson.databind.JsonNode body = Json.MAPPER.readTree(r.body().string());
                List<String> failed = new ArrayList<>();
                body.get("failed").forEach(n -> {
                    failed.add(n.get("name").asText());
                    assertTrue(n.get("reason").asText().contains("_catalog/" + n.get("name").asText() + "/"), n.toString());
                });
                assertEquals(List.of("yyy", "zzz"), failed);
            }
            Conflict c = assertThrows(Conflict.class, () -> client.latest("zzz"));
            assertEquals("dataset_failed", c.details().get("code"));
            assertThrows(Conflict.class, () -> client.register("yyy", req(List.of(), null)));
        } finally {
            storage.delete("_catalog/zzz/99999999999.json");
            storage.delete("_catalog/yyy/1.json");
            restartCatalogd();
        }
    }

    @SuppressWarnings("unchecked")
    static List<String> fields(BadRequest e) {
        return ((List<Map<String, Object>>) e.details().get("mismatches")).stream().map(m -> (String) m.get("field")).toList();
    }

    @Test
    void everyVersionIsListedOldestFirstInPagesWithRowsFilesAndContentHash() throws Exception {
        for (int v = 1; v <= 5; v++) {
            client.register("listed", req(List.of(file("listed", "f" + v, v * 10L), file("listed", "g" + v, 1)), null));
        }
        restartCatalogd(); // older versions come from storage, not only from memory
        JsonNode first = getJson(catalogd.baseUrl() + "/datasets/listed/versions?limit=2");
        assertEquals(5, first.get("latest_version").asInt());
        assertEquals(2, first.get("versions").size());
        JsonNode v1 = first.at("/versions/0");
        assertEquals(1, v1.get("version").asInt());
        assertEquals(11, v1.get("rows").asLong());
        assertEquals(2, v1.get("files").asInt());
        assertEquals(client.version("listed", 1).contentHash(), v1.get("content_hash").asText());
        assertTrue(v1.get("created_at").asText().endsWith("Z"), v1.toString());
        assertEquals(2, first.get("next_after").asInt());
        List<Integer> all = new java.util.ArrayList<>();
        first.get("versions").forEach(x -> all.add(x.get("version").asInt()));
        JsonNode page = first;
        while (page.has("next_after")) {
            page = getJson(catalogd.baseUrl() + "/datasets/listed/versions?limit=2&after=" + page.get("next_after").asInt());
            page.get("versions").forEach(x -> all.add(x.get("version").asInt()));
        }
        assertEquals(List.of(1, 2, 3, 4, 5), all);
        assertEquals(51, page.at("/versions/0/rows").asLong(), "v5: 50 + 1 rows");
        assertEquals(404, status(catalogd.baseUrl() + "/datasets/nosuch/versions"));
        assertEquals(400, status(catalogd.baseUrl() + "/datasets/listed/versions?limit=0"));
        assertEquals(400, status(catalogd.baseUrl() + "/datasets/listed/versions?after=x"));
    }

    static JsonNode getJson(String url) throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(url).build()).execute()) {
            assertEquals(200, r.code(), url);
            return Json.MAPPER.readTree(r.body().bytes());
        }
    }

    static Manifest readManifest(String key) {
        try {
            return ManifestStore.MANIFEST.read(storage.getBytes(key), Manifest.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static List<String> keys(String prefix) {
        return storage.listAll(prefix).stream().map(ObjectInfo::key).sorted().toList();
    }

    static int post(String url, String json) throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(url)
                .post(RequestBody.create(json, MediaType.get("application/json"))).build()).execute()) {
            return r.code();
        }
    }


    @Test
    void theFileLookupFindsTheFirstVersionReferencingAKeyOverTheWholeHistoryEvenAfterARestart() throws Exception {
        String ds = "lookup";
        FileEntry first = file(ds, "first", 1);
        client.register(ds, new RegisterRequest(SCHEMA, List.of(first), 0));
        for (int v = 2; v <= 40; v++) {
            client.register(ds, new RegisterRequest(SCHEMA, List.of(file(ds, "r" + v, v)), v - 1));
        }
        assertEquals(1, client.firstVersionReferencing(ds, first.key()).getAsInt());
        assertEquals(40, client.firstVersionReferencing(ds, file(ds, "r40", 40).key()).getAsInt());
        client.register(ds, new RegisterRequest(SCHEMA, List.of(file(ds, "late", 1)), 40));
        assertEquals(41, client.firstVersionReferencing(ds, file(ds, "late", 1).key()).getAsInt(), "kept up to date");
        assertTrue(client.firstVersionReferencing(ds, "datasets/lookup/never.parquet").isEmpty());
        assertTrue(client.firstVersionReferencing("no_such_dataset", first.key()).isEmpty());
        restartCatalogd();
        assertEquals(1, client.firstVersionReferencing(ds, first.key()).getAsInt(), "rebuilt from storage");
        try (Response r = http.newCall(new Request.Builder()
                .url(catalogd.baseUrl() + "/datasets/" + ds + "/files?key=datasets/lookup/never.parquet").build()).execute()) {
            assertEquals(404, r.code());
            assertEquals("file_not_referenced", Json.MAPPER.readTree(r.body().string()).get("code").asText());
        }
    }

    @Test
    void aRegistrationRetriedWithTheSameKeyAnswersTheOriginalVersionAcrossARestartAndAnotherBodyIs409() throws Exception {
        String ds = "idem_register";
        Registration first = client.register(ds, new RegisterRequest(SCHEMA, List.of(file(ds, "a", 1)), null), "reg-1");
        assertTrue(first.created());
        client.register(ds, new RegisterRequest(SCHEMA, List.of(file(ds, "b", 1)), null));
        restartCatalogd();
        Registration again = client.register(ds, new RegisterRequest(SCHEMA, List.of(file(ds, "a", 1)), null), "reg-1");
        assertEquals(first.manifest(), again.manifest(), "v1 again, not a rollback to a new v3");
        assertTrue(again.created(), "the original outcome: 201");
        assertEquals(2, client.latest(ds).orElseThrow().version());
        Conflict reused = assertThrows(Conflict.class, () ->
                client.register(ds, new RegisterRequest(SCHEMA, List.of(file(ds, "c", 1)), null), "reg-1"));
        assertEquals("idempotency_key_reused", reused.details().get("code"));
        assertEquals(2, client.latest(ds).orElseThrow().version());
    }
}
