package dev.lakehouse.consoletest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.catalogd.CatalogdMain;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.embedd.EmbeddMain;
import dev.lakehouse.gateway.GatewayMain;
import dev.lakehouse.ingestd.IngestdMain;
import dev.lakehouse.queryd.QuerydMain;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.Http;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import dev.lakehouse.vectord.VectordMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Issue 25's scenario, through the gateway as a user: candidates in three versions (append, append, replace), a
 * vector index of their CVs, one candidate to erase; and the checks that they are gone everywhere. It is the
 * erasure tests' one set-up, a JUnit extension: all seven services on the embedded S3 ({@link TestFleet}), those
 * named in {@code children} in JVMs of their own so a test can {@link #kill} and {@link #restart} them.
 *
 * <pre>
 * &#64;RegisterExtension static final ErasureScenario SCENARIO = new ErasureScenario(Set.of(CATALOGD, VECTORD));
 * </pre>
 */
final class ErasureScenario implements BeforeAllCallback, AfterAllCallback {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The person erased: a name that occurs nowhere else. */
    static final String NAME = "Zebulon Quaxford";
    static final String CV = "Zebulon Quaxford: offshore wind turbine commissioning engineer, twelve years in the North Sea";
    static final String HEADER = "candidate_id,name,rate,cv\n";

    static final String TOKEN = "erasure-test-token";
    /** The services whose local files must not hold the name (embedd's are the model's). */
    private static final List<Service> KEEPING_FILES = List.of(Service.STORAGED, Service.CATALOGD, Service.INGESTD,
            Service.QUERYD, Service.VECTORD, Service.GATEWAY);

    private final S3Extension s3 = new S3Extension();
    private final Set<Service> children;
    private TestFleet fleet;
    private Gateway gateway;
    /** Where the checks copy Parquet files to read them; outside every service's data dir. */
    private Path scratch;

    /** The services in {@code children} run in JVMs of their own (to be killed). */
    ErasureScenario(Set<Service> children) {
        this.children = children;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        s3.beforeAll(context);
        scratch = Files.createDirectories(s3.tempDir().resolve("scratch"));
        // catalogd calls queryd and vectord for erasures, and they call it: their ports are chosen up front
        fleet = new TestFleet(s3).reserve(Service.QUERYD, Service.VECTORD);
        fleet.start(Service.STORAGED, StoragedMain::start);
        start(Service.CATALOGD, CatalogdMain::start, CatalogdMain.class,
                Map.of("catalogd.rehydrate_retry", "100ms", "catalogd.erasure_retry", "200ms"));
        fleet.start(Service.EMBEDD, EmbeddMain::start);
        fleet.start(Service.INGESTD, IngestdMain::start);
        fleet.start(Service.QUERYD, QuerydMain::start, Map.of("queryd.duckdb_memory_limit", "512MB"));
        start(Service.VECTORD, VectordMain::start, VectordMain.class, Map.of());
        gateway = new Gateway(fleet.start(Service.GATEWAY, GatewayMain::start, Map.of("token", TOKEN)).baseUrl(), TOKEN);
        Http.awaitOk(gateway.url() + "/v1/health", Duration.ofSeconds(90));
    }

    private void start(Service svc, Function<Config, ServiceApp> main, Class<?> mainClass, Map<String, String> keys) {
        if (children.contains(svc)) {
            fleet.startChild(svc, mainClass, keys);
        } else {
            fleet.start(svc, main, keys);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        s3.afterAll(context);
    }

    /** A call through the gateway with the bearer token, as a program would make it. */
    Gateway.Reply call(String method, String path, String contentType, byte[] body, String accept) {
        return gateway.call(method, path, contentType, body, accept);
    }

    /** kill -9 of a service running in a JVM of its own. */
    void kill(Service svc) {
        fleet.kill(svc);
    }

    /** Starts a killed service again, on its port with its keys. */
    void restart(Service svc) {
        fleet.start(svc);
    }

    /** Three versions of candidates and an index of four CVs, saved: the name is in S3 before the erasure. */
    void ingestAndIndex() throws Exception {
        ingest("append", "c-1,Ada Lovelace,120,analytical engine programmer\n" + "c-2," + NAME + ",95,\"" + CV + "\"\n"
                + "c-3,Grace Hopper,130,compiler pioneer and naval officer\n");
        ingest("append", "c-4,Alan Turing,140,cryptanalyst and logician\n" + "c-2," + NAME + ",99,\"" + CV + " (updated)\"\n");
        ingest("replace", "c-1,Ada Lovelace,125,analytical engine programmer\n" + "c-2," + NAME + ",101,\"" + CV + "\"\n"
                + "c-5,Katherine Johnson,150,orbital mechanics\n");
        ok(call("POST", "/v1/vectors/index", "application/json",
                bytes("{\"name\":\"cvs\",\"dim\":384,\"distance\":\"cosine\"}"), null), 200, 201);
        ok(call("POST", "/v1/vectors/index/cvs/add", "application/json", bytes("{\"items\":["
                + item("c-1", "analytical engine programmer", "Ada Lovelace") + ","
                + item("c-2", CV, NAME) + ","
                + item("c-3", "compiler pioneer and naval officer", "Grace Hopper") + ","
                + item("c-4", "cryptanalyst and logician", "Alan Turing") + "]}"), null), 200);
        ok(call("POST", "/v1/vectors/index/cvs/save", null, new byte[0], null), 200);
        assertTrue(objectsMentioning(NAME).size() >= 4, "the name is in S3 before (files, snapshot): the scan can see it");
    }

    /** Every check that the candidate is gone and nothing else changed; {@code othersBefore} from before the erasure. */
    void assertErased(String id, Others othersBefore) throws Exception {
        for (int v = 1; v <= 3; v++) {
            assertEquals(0, sql(v, "SELECT count(*) FROM candidates WHERE candidate_id = 'c-2' OR name = '" + NAME + "'")
                    .at("/rows/0/0").asInt(), "version " + v);
            JsonNode manifest = ok(call("GET", "/v1/catalog/datasets/candidates/versions/" + v, null, null, null), 200);
            assertEquals(id, manifest.path("erasure_id").asText(), "version " + v + " says which erasure rewrote it");
        }
        Others othersAfter = othersPerVersion();
        assertEquals(othersBefore.sql(), othersAfter.sql(), "every other row of every version is unchanged");
        assertEquals(othersBefore.stored(), othersAfter.stored(), "and stored in the same order as before");
        assertEquals(List.of(), objectsMentioning(NAME), "no object in S3 holds the name (Parquet decompressed)");
        for (Service svc : KEEPING_FILES) {
            assertEquals(List.of(), localFilesMentioning(s3.tempDir().resolve(svc.id()), NAME),
                    "no local file of " + svc.id() + " holds it (caches, spools)");
        }

        assertEquals(404, call("GET", "/v1/vectors/index/cvs/items/c-2", null, null, null).status());
        JsonNode hits = ok(call("POST", "/v1/vectors/index/cvs/search", "application/json",
                bytes("{\"text\":" + JSON.writeValueAsString(CV) + ",\"k\":10}"), null), 200).path("hits");
        assertEquals(3, hits.size(), hits.toString());
        hits.forEach(h -> assertFalse(h.path("id").asText().equals("c-2"), hits.toString()));

        JsonNode log = ok(call("GET", "/v1/erasure/log", null, null, null), 200).path("entries");
        assertEquals(1, log.size(), log.toString());
        assertEquals(id, log.get(0).path("erasure_id").asText());
        assertEquals("DSR-2026-001", log.get(0).path("subject").asText());
        assertEquals(3, log.get(0).at("/datasets/candidates/rows_removed").asInt(), log.toString());
        assertEquals(1, log.get(0).at("/vectors/cvs/items_removed").asInt(), log.toString());
        assertTrue(log.get(0).path("requested_by").asText().startsWith("token:"), log.toString());
        assertFalse(log.toString().contains("c-2") || log.toString().contains(NAME), "the log holds no erased value");
    }

    /** Every file every version lists exists in S3 (an erasure in progress never leaves one pointing at a deleted file). */
    void assertEveryVersionsFilesExist() throws IOException {
        for (int v = 1; v <= 3; v++) {
            for (JsonNode f : ok(call("GET", "/v1/catalog/datasets/candidates/versions/" + v, null, null, null), 200)
                    .path("files")) {
                String key = f.path("key").asText();
                s3.client().headObject(b -> b.bucket(s3.bucket()).key(key)); // NoSuchKey if it was deleted
            }
        }
    }

    static String request(boolean dryRun) {
        return "{\"subject\":\"DSR-2026-001\",\"datasets\":{\"candidates\":\"candidate_id = 'c-2'\"},"
                + "\"vectors\":{\"cvs\":[\"c-2\"]},\"dry_run\":" + dryRun + "}";
    }

    /** The same erasure with the index's items named by a metadata filter (ADR 0025's language) instead of ids. */
    static String requestByFilter(boolean dryRun) throws IOException {
        return "{\"subject\":\"DSR-2026-001\",\"datasets\":{\"candidates\":\"candidate_id = 'c-2'\"},"
                + "\"vectors\":{\"cvs\":{\"filter\":{\"eq\":{\"name\":" + JSON.writeValueAsString(NAME) + "}}}},"
                + "\"dry_run\":" + dryRun + "}";
    }

    /** Keys of the S3 objects under {@code prefix}. */
    List<String> keys(String prefix) {
        return s3.client().listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(s3.bucket()).prefix(prefix).build())
                .contents().stream().map(S3Object::key).toList();
    }

    static String item(String id, String text, String name) throws IOException {
        return "{\"id\":\"" + id + "\",\"text\":" + JSON.writeValueAsString(text) + ",\"metadata\":{\"name\":"
                + JSON.writeValueAsString(name) + "}}";
    }

    void ingest(String mode, String rows) throws IOException {
        ingest("candidates", mode, HEADER + rows);
    }

    void ingest(String dataset, String mode, String csv) throws IOException {
        ok(call("POST", "/v1/ingest/" + dataset + "?mode=" + mode, "text/csv", bytes(csv), null), 200, 201);
    }

    /** Every other row before and after: through SQL (as a user sees them), and in each version's stored order. */
    record Others(Map<Integer, List<String>> sql, Map<Integer, List<String>> stored) {}

    /** Per version, every row but the erased candidate's: through SQL in a fixed order, and as stored. */
    Others othersPerVersion() throws Exception {
        Map<Integer, List<String>> sorted = new TreeMap<>();
        Map<Integer, List<String>> stored = new TreeMap<>();
        for (int v = 1; v <= 3; v++) {
            List<String> rows = new ArrayList<>();
            sql(v, "SELECT * FROM candidates WHERE candidate_id <> 'c-2' ORDER BY candidate_id, rate")
                    .path("rows").forEach(r -> rows.add(r.toString()));
            assertFalse(rows.isEmpty());
            sorted.put(v, rows);
            stored.put(v, storedOthers(v));
        }
        return new Others(sorted, stored);
    }

    /**
     * Version {@code v}'s other rows in stored order: its files in the manifest's order, each read straight from S3
     * by one DuckDB thread keeping insertion order (queryd's SQL does not promise an order, so it cannot show one).
     */
    private List<String> storedOthers(int v) throws Exception {
        List<String> rows = new ArrayList<>();
        for (JsonNode f : ok(call("GET", "/v1/catalog/datasets/candidates/versions/" + v, null, null, null), 200)
                .path("files")) {
            byte[] body = s3.client().getObjectAsBytes(b -> b.bucket(s3.bucket()).key(f.path("key").asText())).asByteArray();
            Path tmp = Files.createTempFile(scratch, "order", ".parquet");
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
                Files.write(tmp, body);
                s.execute("SET threads = 1");
                try (ResultSet rs = s.executeQuery("SELECT * FROM read_parquet('" + tmp + "') WHERE candidate_id <> 'c-2'")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= n; i++) {
                            row.append(i > 1 ? "|" : "").append(rs.getString(i));
                        }
                        rows.add(row.toString());
                    }
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return rows;
    }

    JsonNode sql(int version, String sql) throws IOException {
        return ok(call("POST", "/v1/sql?version=" + version, "text/plain", bytes(sql), null), 200);
    }

    JsonNode awaitComplete(String id) throws Exception {
        return awaitStatus(id, s -> !s.path("state").asText().equals("in_progress"), "complete");
    }

    /**
     * Calls {@code path} until the gateway answers 200: after a backend was killed, the gateway's first call may go
     * out on a pooled connection the dead process left behind (502), as any client of a restarted service sees.
     */
    void awaitAnswers(String path) throws InterruptedException {
        for (int i = 0; i < 100 && call("GET", path, null, null, null).status() != 200; i++) {
            Thread.sleep(100);
        }
    }

    /** Polls the erasure's status until {@code until} holds (at most 2 minutes); its state must then be {@code state}. */
    JsonNode awaitStatus(String id, java.util.function.Predicate<JsonNode> until, String state) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        JsonNode s = JSON.nullNode();
        do {
            Gateway.Reply r = call("GET", "/v1/erasure/" + id, null, null, null);
            if (r.status() == 502 || r.status() == 503) { // catalogd restarting: ask again, as a client would
                Thread.sleep(100);
                continue;
            }
            s = ok(r, 200);
            if (until.test(s)) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertEquals(state, s.path("state").asText(), s.toString());
        return s;
    }

    /** Keys of the S3 objects whose bytes — or, for Parquet, whose decompressed values — contain {@code needle}. */
    List<String> objectsMentioning(String needle) throws Exception {
        List<String> hits = new ArrayList<>();
        for (S3Object o : s3.client().listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(s3.bucket()).build())
                .contents()) {
            byte[] body = s3.client().getObjectAsBytes(b -> b.bucket(s3.bucket()).key(o.key())).asByteArray();
            if (mentions(o.key(), body, needle)) {
                hits.add(o.key());
            }
        }
        return hits;
    }

    List<String> localFilesMentioning(Path root, String needle) throws Exception {
        List<String> hits = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return hits;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (mentions(p.toString(), Files.readAllBytes(p), needle)) {
                    hits.add(root.relativize(p).toString());
                }
            }
        }
        return hits;
    }

    boolean mentions(String name, byte[] body, String needle) throws Exception {
        if (new String(body, StandardCharsets.ISO_8859_1).contains(needle)) {
            return true;
        }
        if (body.length < 8 || !new String(body, 0, 4, StandardCharsets.ISO_8859_1).equals("PAR1")) {
            return false;
        }
        Path tmp = Files.createTempFile(scratch, "scan", ".parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            Files.write(tmp, body);
            try (ResultSet rs = s.executeQuery("SELECT * FROM read_parquet('" + tmp + "')")) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        String v = rs.getString(i);
                        if (v != null && v.contains(needle)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        } catch (SQLException e) {
            throw new AssertionError(name + " looks like Parquet but does not read: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static JsonNode ok(Gateway.Reply r, int... statuses) throws IOException {
        for (int s : statuses) {
            if (r.status() == s) {
                return r.body().length == 0 ? JSON.nullNode() : JSON.readTree(r.body());
            }
        }
        throw new AssertionError("status " + r.status() + ": " + r.text());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
