package dev.lakehouse.queryd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.testkit.S3Extension;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * queryd's refusals carry their stable codes on the wire (issue 26: a client switches on the code, so each one is
 * pinned here, provoked through the HTTP API on a real lake: devs3, storaged, catalogd, DuckDB).
 */
class QuerydErrorCodesTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final Lake LAKE = new Lake(S3);

    static String url;

    @BeforeAll
    static void start() {
        url = LAKE.queryd(Map.of()).baseUrl() + "/sql";
    }

    /** The code of {@code r}, after checking its status (on the wire and in the body). */
    static String code(int status, Http.Reply r) {
        assertEquals(status, r.code(), r.text());
        assertEquals(status, r.json().path("status").asInt(), r.text());
        return r.json().path("code").asText();
    }

    @Test
    void aJsonPageAboveTheLargestRowLimitIsPageTooLarge() {
        assertEquals(ErrorCodes.PAGE_TOO_LARGE, code(400, Http.sql(url + "?limit=100000000", "SELECT 1")));
    }

    @Test
    void aJsonBodyThatDoesNotParseIsInvalidJson() {
        assertEquals(ErrorCodes.INVALID_JSON, code(400, Http.post(url, "{\"sql\": ", "application/json", null)));
    }

    @Test
    void aRegisteredFileMissingFromStorageIsBadGateway() throws Exception {
        FileEntry f = LAKE.parquet("vanished", "SELECT 1::BIGINT AS id");
        LAKE.register("vanished", List.of(new ColumnSpec("id", "BIGINT")), List.of(f));
        LAKE.storage.delete(f.key()); // behind the catalog's back
        assertEquals(ErrorCodes.BAD_GATEWAY, code(502, Http.sql(url, "SELECT * FROM vanished")));
    }

    @Test
    void aResultBatchAboveAllQueriesResultMemoryIsResultMemoryExhausted() {
        ServiceApp small = LAKE.queryd(Map.of("queryd.result_max_bytes", "1048576"));
        Http.Reply r = Http.post(small.baseUrl() + "/sql", "SELECT repeat('x', 100000) AS s FROM range(200)", "text/plain", null);
        assertEquals(ErrorCodes.RESULT_MEMORY_EXHAUSTED, code(507, r));
    }

    @Test
    void aStatementPastTheStatementTimeoutIsGatewayTimeout() {
        ServiceApp strict = LAKE.queryd(Map.of("queryd.statement_timeout", "300ms"));
        Http.Reply r = Http.sql(strict.baseUrl() + "/sql", "SELECT sum(a.range * b.range) FROM range(200000) a, range(200000) b");
        assertEquals(ErrorCodes.GATEWAY_TIMEOUT, code(504, r));
    }

    @Test
    void aCsvExportPastItsDeadlineBeforeItsFirstByteIsExportTimeoutNotInternalError() {
        ServiceApp strict = LAKE.queryd(Map.of("queryd.export_timeout", "1ms"));
        // the deadline is checked after each read of the pipe (at most 64 KiB): the first reads of 2-byte rows are
        // still in the writer's 256 KiB buffer
        Http.Reply r = Http.post(strict.baseUrl() + "/sql", "SELECT 1 AS x FROM range(3000) a, range(3000) b",
                "text/plain", "text/csv");
        assertEquals(ErrorCodes.EXPORT_TIMEOUT, code(504, r));
    }

    @Test
    void aCsvExportPastItsDeadlineAfterItsFirstBytesIsCutSoTheClientCannotTakeItAsComplete() throws Exception {
        ServiceApp strict = LAKE.queryd(Map.of("queryd.export_timeout", "2s"));
        // 63 MB, far more than the sockets hold: the export waits for this client, which reads the status (the first
        // 256 KiB are out) and then nothing until the deadline has passed
        Request post = new Request.Builder().url(strict.baseUrl() + "/sql").header("Accept", "text/csv")
                .post(RequestBody.create("SELECT 100000 + a.range AS x FROM range(3000) a, range(3000) b",
                        MediaType.get("text/plain"))).build();
        try (Response r = Lake.HTTP.newCall(post).execute()) {
            assertEquals(200, r.code());
            Thread.sleep(2500);
            assertThrows(IOException.class, () -> r.body().bytes(), "a cut export must not read as a complete body");
        }
    }

    @Test
    void anArrowExportPastItsDeadlineBeforeItsFirstByteIsExportTimeoutNotInternalError() {
        ServiceApp strict = LAKE.queryd(Map.of("queryd.export_timeout", "1ms"));
        // a first batch of 65,536 one-byte values (64 KiB) stays in the writer's 256 KiB buffer
        Http.Reply r = Http.post(strict.baseUrl() + "/sql", "SELECT 1::TINYINT AS x FROM range(3000) a, range(3000) b",
                "text/plain", "application/vnd.apache.arrow.stream");
        assertEquals(ErrorCodes.EXPORT_TIMEOUT, code(504, r));
    }
}
