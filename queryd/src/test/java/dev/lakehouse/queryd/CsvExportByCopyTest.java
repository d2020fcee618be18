package dev.lakehouse.queryd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.testkit.S3Extension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A CSV export is DuckDB's own COPY into a pipe of queryd's export directory (ADR 0042): its bytes are COPY's, its
 * failures are typed errors before the first byte and cut bodies after it, a client that hangs up stops it, and
 * after every outcome no pipe is left. The user's SQL reaches that directory in no way.
 */
class CsvExportByCopyTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final Lake LAKE = new Lake(S3);

    static final String TEXTS = "SELECT range AS id, CASE range % 5 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN"
            + " 'a,b \"q\"' WHEN 3 THEN 'line' || chr(10) || 'break' ELSE 'π ' || range END AS t FROM range(";

    static ServiceApp queryd;
    static String url;
    static Path exports;

    @BeforeAll
    static void start() throws Exception {
        Path dataDir = S3.tempDir().resolve("copy-queryd");
        // one DuckDB thread: a statement's rows are computed in order, so "fails after its first bytes" is certain
        queryd = LAKE.queryd(Map.of("data_dir", dataDir.toString(), "queryd.duckdb_threads", "1",
                "queryd.statement_timeout", "2s"));
        url = queryd.baseUrl() + "/sql";
        exports = dataDir.resolve("queryd").resolve("exports");
        List<ColumnSpec> schema = List.of(new ColumnSpec("id", "BIGINT"), new ColumnSpec("t", "VARCHAR"));
        LAKE.register("notes", schema, List.of(LAKE.parquet("notes", TEXTS + "3000)")));
        LAKE.register("notes", schema, List.of(LAKE.parquet("notes", TEXTS + "5000)")));
    }

    @AfterEach
    void noPipeIsLeft() throws Exception {
        QuerydTest.awaitHealth(queryd, "/admission/running", 0);
        QuerydTest.awaitHealth(queryd, "/export_pipes", 0);
        assertEquals(List.of(), files(), "nothing is left in the export directory");
    }

    static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(exports)) {
            return s.toList();
        }
    }

    @Test
    void aCsvExportOfEachVersionIsDuckDbsOwnCopyOfItsRowsByteForByte() throws Exception {
        Http.Reply latest = Http.post(url, "SELECT * FROM notes ORDER BY id", "text/plain", "text/csv");
        assertEquals(200, latest.code(), latest.text());
        assertEquals(new String(LAKE.copy(TEXTS + "5000) ORDER BY id", "FORMAT csv, HEADER"), StandardCharsets.UTF_8),
                latest.text());
        Http.Reply first = Http.post(url + "?version=1", "SELECT * FROM notes ORDER BY id", "text/plain", "text/csv");
        assertEquals(200, first.code(), first.text());
        assertEquals("notes=1", first.header("X-Lakehouse-Versions"));
        assertEquals(new String(LAKE.copy(TEXTS + "3000) ORDER BY id", "FORMAT csv, HEADER"), StandardCharsets.UTF_8),
                first.text());
        Http.Reply limited = Http.post(url + "?limit=7", "SELECT * FROM notes ORDER BY id", "text/plain", "text/csv");
        assertEquals("7", limited.header("X-Lakehouse-Row-Limit"));
        assertEquals(new String(LAKE.copy(TEXTS + "5000) ORDER BY id LIMIT 7", "FORMAT csv, HEADER"),
                StandardCharsets.UTF_8), limited.text());
    }

    @Test
    void aQueryCanNeitherReadNorWriteTheExportDirectory() throws Exception {
        try (Response held = QuerydTest.holdSlot(url)) {
            QuerydTest.awaitHealth(queryd, "/export_pipes", 1);
            Path pipe = files().get(0);
            for (String sql : new String[] {"SELECT * FROM read_csv('" + pipe + "')", "SELECT * FROM '" + pipe + "'",
                "SELECT * FROM read_text('" + exports + "/*')", "SELECT * FROM glob('" + exports + "/*')",
                "COPY (SELECT 1) TO '" + exports + "/x.csv'", "COPY (SELECT 1) TO '" + pipe + "'",
                "ATTACH '" + exports + "/x.db'", "SELECT 1 AS x; COPY (SELECT 2) TO '" + exports + "/y.csv'"}) {
                for (String accept : new String[] {"text/csv", null}) {
                    Http.Reply r = Http.post(url, sql, "text/plain", accept);
                    assertTrue(r.code() == 403 || r.code() == 400, sql + ": " + r.code() + " " + r.text());
                }
            }
            assertEquals(List.of(pipe), files(), "nothing was written beside the running export's pipe");
            byte[] head = held.body().byteStream().readNBytes(1 << 16);
            assertEquals("n\n0\n1\n2\n", new String(head, 0, 8, StandardCharsets.UTF_8), "the export read on intact");
        }
    }

    @Test
    void aClientThatHangsUpMidExportStopsTheCopyAndQuerydServesOn() throws Exception {
        try (Response r = QuerydTest.holdSlot(url); InputStream in = r.body().byteStream()) {
            assertEquals(1 << 20, in.readNBytes(1 << 20).length);
        } // the response closed mid-export: the connection is cut, queryd's write fails, the pipe is closed
        QuerydTest.awaitHealth(queryd, "/admission/running", 0);
        QuerydTest.awaitHealth(queryd, "/export_pipes", 0);
        Http.Reply after = Http.post(url, "SELECT 1 AS one", "text/plain", "text/csv");
        assertEquals("one\n1\n", after.text());
    }

    @Test
    void aCopyThatFailsBeforeItsFirstRowIsATypedErrorAndAfterItACutBody() throws Exception {
        Http.Reply early = Http.post(url, "SELECT CAST('x' || range AS INTEGER) AS v FROM range(10)", "text/plain",
                "text/csv");
        assertEquals(400, early.code(), early.text());
        assertTrue(early.text().contains("Conversion Error"), early.text());
        // 1M rows (6.9 MB) leave before the row that fails
        Request late = new Request.Builder().url(url).header("Accept", "text/csv").post(RequestBody.create(
                "SELECT CAST(CASE WHEN range < 1000000 THEN range::VARCHAR ELSE 'x' END AS INTEGER) AS v FROM range(2000000)",
                MediaType.get("text/plain"))).build();
        try (Response r = Lake.HTTP.newCall(late).execute()) {
            assertEquals(200, r.code());
            assertThrows(IOException.class, () -> r.body().bytes(), "a failed export must not read as a complete body");
        }
    }

    @Test
    void aCsvExportPastTheStatementTimeoutBeforeItsFirstRowIsGatewayTimeout() {
        Http.Reply r = Http.post(url, "SELECT sum(a.range * b.range) AS s FROM range(200000) a, range(200000) b",
                "text/plain", "text/csv");
        assertEquals(504, r.code(), r.text());
        assertEquals(2000, r.json().get("timeout_ms").asInt(), r.text());
    }
}
