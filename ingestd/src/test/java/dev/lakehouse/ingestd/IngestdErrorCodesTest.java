package dev.lakehouse.ingestd;

import static dev.lakehouse.common.config.Service.CATALOGD;
import static dev.lakehouse.common.config.Service.INGESTD;
import static dev.lakehouse.common.config.Service.STORAGED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.catalogd.CatalogdMain;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.Http;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ingestd's refusals of a bad CSV carry their stable codes on the wire (issue 26: a client switches on the code,
 * so each one is pinned here by its text).
 */
class IngestdErrorCodesTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start).with(CATALOGD, CatalogdMain::start)
            .with(INGESTD, IngestdMain::start, Map.of("ingestd.duckdb_threads", "1"));

    /** The code of ingestd's 400 to {@code csv} sent as dataset {@code dataset}. */
    static String refusal(String dataset, String csv) throws IOException {
        return refusal(400, dataset, "", "text/csv", null, csv.getBytes(StandardCharsets.UTF_8));
    }

    /** The code of ingestd's {@code status} refusal of {@code body} (with the query, Content-Type and -Encoding). */
    static String refusal(int status, String dataset, String query, String contentType, String encoding, byte[] body)
            throws IOException {
        Request.Builder post = new Request.Builder().url(FLEET.url(INGESTD) + "/ingest/" + dataset + "?mode=append" + query)
                .post(RequestBody.create(body, MediaType.get(contentType)));
        if (encoding != null) {
            post.header("Content-Encoding", encoding);
        }
        try (Response r = Http.SIGNED.newCall(post.build()).execute()) {
            JsonNode err = Json.TOLERANT.readTree(r.body().bytes());
            assertEquals(status, r.code(), err.toString());
            assertEquals(status, err.path("status").asInt(), err.toString());
            return err.path("code").asText();
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anEmptyBodyIsEmptyBody() throws IOException {
        assertEquals("empty_body", refusal("empty", ""));
    }

    @Test
    void aRowShorterThanTheHeaderIsRaggedRow() throws IOException {
        assertEquals("ragged_row", refusal("ragged", "version,codename,series,created,release,eol\n"
                + "1.1,Buzz,buzz,1993-08-16,1996-06-17,1997-06-05\n" + "14,Forky,forky,2025-08-09\n"));
    }

    @Test
    void aQuoteThatNeverClosesIsMalformedCsv() throws IOException {
        assertEquals("malformed_csv", refusal("unterminated", "a,b\n1,2\n3,\"unterminated\n5,6\n"));
    }

    @Test
    void aContentEncodingOtherThanGzipOrZstdIsUnsupportedEncoding() throws IOException {
        assertEquals(ErrorCodes.UNSUPPORTED_ENCODING, refusal(415, "brotli", "", "text/csv", "br", utf8("a\n1\n")));
    }

    @Test
    void aGzipBodyThatIsNotGzipIsCorruptBody() throws IOException {
        assertEquals(ErrorCodes.CORRUPT_BODY, refusal(400, "notgzip", "", "text/csv", "gzip", utf8("a,b\n1,2\n")));
    }

    @Test
    void aHeaderWithoutDataRowsIsNoRows() throws IOException {
        assertEquals(ErrorCodes.NO_ROWS, refusal(400, "headeronly", "&header=true", "text/csv", null, utf8("a,b\n")));
    }

    @Test
    void anNdjsonBodyOfOnlyBlankLinesIsNoRowsNotAJsonColumn() throws IOException {
        assertEquals(ErrorCodes.NO_ROWS, refusal(400, "blankjson", "", "application/x-ndjson", null, utf8("\n  \n\t\r\n\n")));
    }

    @Test
    void anNdjsonLineThatIsNotJsonIsMalformedNdjson() throws IOException {
        assertEquals(ErrorCodes.MALFORMED_NDJSON,
                refusal(400, "brokenjson", "", "application/x-ndjson", null, utf8("{\"a\":1}\n{broken\n")));
    }

    @Test
    void aParquetBodyThatIsNotParquetIsMalformedParquet() throws IOException {
        assertEquals(ErrorCodes.MALFORMED_PARQUET,
                refusal(400, "notparquet", "", "application/vnd.apache.parquet", null, utf8("PAR1 not really a file PAR1")));
    }
}
