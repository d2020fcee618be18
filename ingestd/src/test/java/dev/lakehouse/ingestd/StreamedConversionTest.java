package dev.lakehouse.ingestd;

import static dev.lakehouse.common.config.Service.CATALOGD;
import static dev.lakehouse.common.config.Service.INGESTD;
import static dev.lakehouse.common.config.Service.STORAGED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.catalogd.CatalogdMain;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.ObjectInfo;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.BufferedWriter;
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
import java.util.function.IntFunction;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CSV conversion that reads the body from a pipe while it arrives (ADR 0047, session 11), against an ingestd
 * that spools every body whole first ({@code ingestd.stream_conversion=false}, the path before): a body read by the
 * streamed path is the table read_csv reads; a body whose later rows break the prefix's types or shape falls back
 * (counted, and named in Server-Timing) and answers exactly what the spooled path answers; a client gone mid-body
 * leaves nothing in the spool, the pipe directory or storage.
 */
class StreamedConversionTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();

    // a fallback converts twice on a loaded machine: more than OkHttp's default 10 s
    static final OkHttpClient http = S3Extension.signing(new OkHttpClient.Builder()
            .readTimeout(java.time.Duration.ofSeconds(120)).build());
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start).with(CATALOGD, CatalogdMain::start);
    static ServiceApp streamed;
    static ServiceApp spooled;

    @BeforeAll
    static void start() {
        // every Parquet file uploaded while DuckDB writes it: a fallback cuts the first file's upload and streams again
        streamed = FLEET.another(INGESTD, IngestdMain::start, Map.of("ingestd.duckdb_threads", "2",
                "ingestd.stream_conversion", "true", "ingestd.stream_min_bytes", "0", "ingestd.spool_dir", S3.tempDir().resolve("streamed-spool").toString()));
        spooled = FLEET.another(INGESTD, IngestdMain::start, Map.of("ingestd.duckdb_threads", "2",
                "ingestd.stream_conversion", "false", "ingestd.spool_dir", S3.tempDir().resolve("spooled-spool").toString()));
    }

    record Answer(int status, JsonNode body, String timing) {}

    static Answer post(ServiceApp app, String dataset, Path csv) throws IOException {
        Request req = new Request.Builder().url(app.baseUrl() + "/ingest/" + dataset + "?mode=replace")
                .post(RequestBody.create(csv.toFile(), MediaType.get("text/csv"))).build();
        try (Response r = http.newCall(req).execute()) {
            return new Answer(r.code(), Json.MAPPER.readTree(r.body().string()), String.valueOf(r.header("Server-Timing")));
        }
    }

    /** A counter from {@code app}'s /metrics (0 when absent: counters appear once registered). */
    static double counter(ServiceApp app, String name) throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + "/metrics").build()).execute()) {
            for (String line : r.body().string().split("\n")) {
                if (line.startsWith(name + "_total ") || line.startsWith(name + "_total{")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return -1;
    }

    /** {@code rows} data rows {@code line(i)} under {@code header} (the prefix is 40,960 lines and at least 1 MiB). */
    static Path csv(String name, String header, int rows, IntFunction<String> line) throws IOException {
        Path p = S3.tempDir().resolve(name + ".csv");
        try (BufferedWriter w = Files.newBufferedWriter(p)) {
            w.write(header + "\n");
            for (int i = 0; i < rows; i++) {
                w.write(line.apply(i));
                w.write('\n');
            }
        }
        return p;
    }

    static final String WIDE = "id,name,price,day,ts,flag";

    static String wide(int i) {
        return i + ",\"name " + i + ", the " + (i % 7) + "th\"," + (i * 0.25) + ",2024-01-" + (1 + i % 28) + ",2024-02-03 04:05:"
                + (10 + i % 50) + "," + (i % 3 == 0);
    }

    /** The stored file of an answer, fetched to a local path. */
    static Path stored(Answer a, String name) throws IOException {
        Path p = S3.tempDir().resolve(name + ".parquet");
        Files.write(p, FLEET.storage().getBytes(a.body().get("files").get(0).get("key").asText()));
        return p;
    }

    /** Columns with types, then the rows of {@code a} not in {@code b} and of {@code b} not in {@code a} (both 0). */
    static void sameTable(String a, String b) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            assertEquals(IngestFormatsTest.describe(s, b), IngestFormatsTest.describe(s, a), "columns and types");
            for (String[] pair : new String[][] {{a, b}, {b, a}}) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM (SELECT * FROM " + pair[0] + " EXCEPT ALL SELECT * FROM "
                        + pair[1] + ")")) {
                    r.next();
                    assertEquals(0, r.getLong(1), "rows of " + pair[0] + " missing from " + pair[1]);
                }
            }
            try (ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM " + a + ") - (SELECT count(*) FROM " + b + ")")) {
                r.next();
                assertEquals(0, r.getLong(1), "row count");
            }
        }
    }

    @Test
    void aLargeCsvIsConvertedWhileItArrivesAndIsTheTableReadCsvReads() throws Exception {
        Path csv = csv("wide", WIDE, 120_000, StreamedConversionTest::wide);
        double before = counter(streamed, "ingestd_streamed_conversions");
        Answer a = post(streamed, "streamed_wide", csv);
        assertEquals(201, a.status(), a.body().toString());
        assertEquals(before + 1, counter(streamed, "ingestd_streamed_conversions"), "converted from the pipe");
        assertTrue(a.timing().contains("prefix;"), a.timing());
        assertFalse(a.timing().contains("fallback;"), a.timing());
        assertEquals(120_000, a.body().get("rows").asLong());
        sameTable("read_parquet('" + stored(a, "streamed_wide") + "')", "read_csv('" + csv + "')");
        Answer today = post(spooled, "spooled_wide", csv);
        assertEquals(today.body().get("schema"), a.body().get("schema"));
        assertEquals(today.body().get("dialect"), a.body().get("dialect"));
    }

    @Test
    void aChunkedGzipBodyIsConvertedWhileItArrivesToo() throws Exception {
        Path csv = csv("wide-gz", WIDE, 60_000, StreamedConversionTest::wide);
        Path gz = S3.tempDir().resolve("wide.csv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(csv, out);
        }
        double before = counter(streamed, "ingestd_streamed_conversions");
        byte[] bytes = Files.readAllBytes(gz);
        RequestBody chunked = new RequestBody() { // no Content-Length: a declared short body is spooled whole first
            @Override
            public MediaType contentType() {
                return MediaType.get("text/csv");
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.write(bytes);
            }
        };
        Answer a;
        try (Response r = http.newCall(new Request.Builder().url(streamed.baseUrl() + "/ingest/streamed_gz?mode=replace")
                .post(chunked).build()).execute()) {
            a = new Answer(r.code(), Json.MAPPER.readTree(r.body().string()), String.valueOf(r.header("Server-Timing")));
        }
        assertEquals(201, a.status(), a.body().toString());
        assertEquals(before + 1, counter(streamed, "ingestd_streamed_conversions"));
        sameTable("read_parquet('" + stored(a, "streamed_gz") + "')", "read_csv('" + csv + "')");
    }

    /** Ingested by both ingestds: same status and, for a 201, the same schema and table; for an error the same body. */
    static Answer sameAsSpooled(String name, Path csv) throws Exception {
        double before = counter(streamed, "ingestd_streamed_conversion_fallbacks");
        Answer a = post(streamed, "streamed_" + name, csv);
        Answer today = post(spooled, "spooled_" + name, csv);
        assertEquals(today.status(), a.status(), a.body() + " vs " + today.body());
        assertEquals(before + 1, counter(streamed, "ingestd_streamed_conversion_fallbacks"), "the fallback ran");
        if (a.status() == 201) {
            assertTrue(a.timing().contains("fallback;"), a.timing());
            assertEquals(today.body().get("schema"), a.body().get("schema"));
            assertEquals(today.body().get("rows"), a.body().get("rows"));
            assertEquals(today.body().get("dialect"), a.body().get("dialect"));
            sameTable("read_parquet('" + stored(a, "streamed_" + name) + "')", "read_parquet('" + stored(today, "spooled_" + name) + "')");
        } else {
            ((com.fasterxml.jackson.databind.node.ObjectNode) a.body()).remove("request_id");
            ((com.fasterxml.jackson.databind.node.ObjectNode) today.body()).remove("request_id");
            assertEquals(today.body(), a.body());
        }
        return a;
    }

    @Test
    void anIntegerColumnThatTurnsToTextAfterTheSampleIsWidenedExactlyAsWhenSpooledWhole() throws Exception {
        Answer a = sameAsSpooled("late_text", csv("late-text", "id,v", 150_000, i -> i + "," + (i == 120_000 ? "n/a" : i)));
        assertEquals(201, a.status());
        assertEquals("VARCHAR", a.body().get("schema").get(1).get("type").asText());
    }

    @Test
    void aTwentyDigitIdAfterTheSampleStaysExactAsWhenSpooledWhole() throws Exception {
        Path csv = csv("late-wide-id", "id,v", 150_000, i -> (i == 120_000 ? "12345678901234567891" : i == 120_001
                ? "12345678901234567892" : Integer.toString(i)) + "," + i);
        Answer a = sameAsSpooled("late_id", csv);
        assertEquals(201, a.status());
        assertNotEquals("DOUBLE", a.body().get("schema").get(0).get("type").asText());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT id::VARCHAR FROM read_parquet('" + stored(a, "late_id_check")
                        + "') WHERE v IN (120000, 120001) ORDER BY v")) {
            r.next();
            assertEquals("12345678901234567891", r.getString(1));
            r.next();
            assertEquals("12345678901234567892", r.getString(1));
        }
    }

    @Test
    void aRaggedRowAfterTheSampleIsRefusedWithTheSameErrorAsWhenSpooledWhole() throws Exception {
        Answer a = sameAsSpooled("ragged", csv("ragged", "id,v", 150_000, i -> i + "," + i + (i == 120_000 ? ",extra" : "")));
        assertEquals(400, a.status());
        assertTrue(a.body().toString().contains("120002"), a.body().toString());
    }

    @Test
    void aSmallBodyIsSpooledWholeFirstAsBefore() throws Exception {
        double before = counter(streamed, "ingestd_streamed_conversions");
        Answer a = post(streamed, "streamed_small", csv("small", "id,v", 1000, i -> i + "," + i));
        assertEquals(201, a.status(), a.body().toString());
        assertTrue(a.timing().startsWith("spool;"), a.timing());
        assertFalse(a.timing().contains("prefix;"), a.timing());
        assertEquals(before, counter(streamed, "ingestd_streamed_conversions"));
    }

    @Test
    void aClientThatGoesAwayMidBodyLeavesNothingInTheSpoolThePipesOrStorage() throws Exception {
        Path csv = csv("gone", WIDE, 200_000, StreamedConversionTest::wide);
        long size = Files.size(csv);
        java.util.concurrent.atomic.AtomicReference<okhttp3.Call> call = new java.util.concurrent.atomic.AtomicReference<>();
        RequestBody cut = new RequestBody() {
            @Override
            public MediaType contentType() {
                return MediaType.get("text/csv");
            }

            @Override
            public long contentLength() {
                return size;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                byte[] all = Files.readAllBytes(csv);
                sink.write(all, 0, all.length / 2); // past the prefix: the streamed conversion is running
                sink.flush();
                call.get().cancel(); // closes the connection mid-body
                throw new IOException("the client goes away");
            }
        };
        Request req = new Request.Builder().url(streamed.baseUrl() + "/ingest/streamed_gone?mode=replace").post(cut).build();
        OkHttpClient once = http.newBuilder().retryOnConnectionFailure(false).build();
        call.set(once.newCall(req));
        assertThrows(IOException.class, () -> call.get().execute().close());
        Path spool = S3.tempDir().resolve("streamed-spool");
        List<String> left = null;
        for (int i = 0; i < 200; i++) { // the server sees the cut body and cleans up: bounded wait
            left = leftovers(spool);
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals(List.of(), left, "spool files, pipes, prefixes, stored objects or intents left");
    }

    /** Spool files and pipe-dir entries, and anything stored for the dataset or the intent journal. */
    static List<String> leftovers(Path spool) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(spool)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("upload-") || n.endsWith(".parquet")).forEach(out::add);
        }
        try (Stream<Path> pipes = Files.list(spool.resolve("pipes"))) {
            pipes.map(p -> "pipes/" + p.getFileName()).forEach(out::add);
        }
        for (String prefix : List.of("datasets/streamed_gone/", "_ingest/pending/")) {
            FLEET.storage().listAll(prefix).stream().map(ObjectInfo::key).forEach(out::add);
        }
        return out;
    }
}
