package dev.lakehouse.ingestd;

import static dev.lakehouse.common.config.Service.CATALOGD;
import static dev.lakehouse.common.config.Service.INGESTD;
import static dev.lakehouse.common.config.Service.STORAGED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.ObjectInfo;
import dev.lakehouse.catalogd.CatalogdMain;
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
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Parquet upload that runs while DuckDB writes the file (ADR 0028), with every body streamed
 * ({@code ingestd.stream_min_bytes=0}): what is stored is exactly the finished file, a file DuckDB rewrites is not
 * stored from the stream, and a refused body leaves nothing in storage or the intent journal.
 */
class StreamedUploadTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();

    static final OkHttpClient http = S3Extension.signing(new OkHttpClient());
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start).with(CATALOGD, CatalogdMain::start)
            .with(INGESTD, IngestdMain::start, Map.of("ingestd.stream_min_bytes", "0", "ingestd.streamed_uploads", "1"));
    static ServiceApp ingestd;

    @BeforeAll
    static void start() {
        ingestd = FLEET.app(INGESTD);
    }

    record Answer(int status, JsonNode body) {}

    static Answer ingest(String dataset, Path csv) throws IOException {
        Request req = new Request.Builder().url(ingestd.baseUrl() + "/ingest/" + dataset + "?mode=replace")
                .post(RequestBody.create(csv.toFile(), MediaType.get("text/csv"))).build();
        try (Response r = http.newCall(req).execute()) {
            return new Answer(r.code(), Json.MAPPER.readTree(r.body().string()));
        }
    }

    /** A counter from ingestd's /metrics. */
    static double counter(String name) throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(ingestd.baseUrl() + "/metrics").build()).execute()) {
            for (String line : r.body().string().split("\n")) {
                if (line.startsWith(name + "_total ") || line.startsWith(name + "_total{")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return -1;
    }

    static Path csv(String name, int rows, String lastLine) throws IOException {
        Path p = S3.tempDir().resolve(name);
        try (BufferedWriter w = Files.newBufferedWriter(p)) {
            w.write("id,grp,amount,note\n");
            for (int i = 0; i < rows; i++) {
                w.write(i + ",g" + (i % 17) + "," + (i * 0.25) + ",row number " + i + " of the streamed file\n");
            }
            if (lastLine != null) {
                w.write(lastLine + "\n");
            }
        }
        return p;
    }

    static List<String> keys(String prefix) {
        return FLEET.storage().listAll(prefix).stream().map(ObjectInfo::key).filter(k -> !k.contains("/metadata/")).sorted().toList();
    }

    @Test
    void aLargeCsvIsUploadedWhileItIsConvertedAndTheStoredFileHoldsExactlyItsRows() throws Exception {
        Path csv = csv("streamed.csv", 300_000, null);
        double before = counter("ingestd_streamed_uploads");
        Answer a = ingest("streamed", csv);
        assertEquals(201, a.status(), a.body().toString());
        assertEquals(before + 1, counter("ingestd_streamed_uploads"), "the upload ran as a streamed upload");

        JsonNode file = a.body().get("files").get(0);
        Path local = S3.tempDir().resolve("streamed-back.parquet");
        Files.write(local, FLEET.storage().getBytes(file.get("key").asText()));
        assertEquals(file.get("bytes").asLong(), Files.size(local));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM read_parquet('" + local + "')),"
                        + " (SELECT count(*) FROM (SELECT * FROM read_csv('" + csv + "') EXCEPT ALL"
                        + " SELECT * FROM read_parquet('" + local + "')))")) {
            r.next();
            assertEquals(300_000, r.getLong(1));
            assertEquals(0, r.getLong(2), "every row of the CSV is in the stored file");
        }
        assertEquals(List.of(), intentsAfterTheirClears(), "the intent is cleared once registered");
    }

    /** The intents left once the clears queued after the answers ran (they run after the answer, ADR 0047). */
    private List<String> intentsAfterTheirClears() throws InterruptedException {
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        List<String> left = keys("_ingest/pending/");
        while (!left.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(20);
            left = keys("_ingest/pending/");
        }
        return left;
    }

    @Test
    void aFileDuckDbWritesTwiceIsStoredAsItsFinalVersion() throws Exception {
        // a 20-digit integer past the sniffer's sample: written as DOUBLE first, then rewritten as DECIMAL(38,0)
        Path csv = csv("rewritten.csv", 60_000, "12345678901234567891,g1,1.5,last");
        double used = counter("ingestd_streamed_uploads") + counter("ingestd_streamed_upload_fallbacks");
        Answer a = ingest("rewritten", csv);
        assertEquals(201, a.status(), a.body().toString());
        assertEquals("DECIMAL(38,0)", a.body().get("schema").get(0).get("type").asText());
        assertEquals(used + 1, counter("ingestd_streamed_uploads") + counter("ingestd_streamed_upload_fallbacks"));

        Path local = S3.tempDir().resolve("rewritten-back.parquet");
        Files.write(local, FLEET.storage().getBytes(a.body().get("files").get(0).get("key").asText()));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*), max(id)::VARCHAR, typeof(max(id)) FROM read_parquet('"
                        + local + "')")) {
            r.next();
            assertEquals(60_001, r.getLong(1));
            assertEquals("12345678901234567891", r.getString(2), "the stored file is the rewritten, exact one");
            assertEquals("DECIMAL(38,0)", r.getString(3));
        }
    }

    @Test
    void aBodyRefusedDuringTheConversionLeavesNothingInStorageOrTheIntentJournal() throws Exception {
        Path csv = csv("ragged.csv", 200_000, "1,g1,2.5,a note,and one field too many");
        Answer a = ingest("ragged", csv);
        assertEquals(400, a.status(), a.body().toString());
        assertTrue(a.body().get("error").asText().startsWith("line 200002:"), a.body().toString());
        assertEquals(List.of(), keys("datasets/ragged/"), "no data file");
        assertEquals(List.of(), intentsAfterTheirClears(), "no intent left behind");
        assertTrue(FLEET.catalog().latest("ragged").isEmpty());
    }
}
