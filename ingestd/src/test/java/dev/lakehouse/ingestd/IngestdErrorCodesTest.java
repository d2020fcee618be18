package dev.lakehouse.ingestd;

import static dev.lakehouse.common.config.Service.CATALOGD;
import static dev.lakehouse.common.config.Service.INGESTD;
import static dev.lakehouse.common.config.Service.STORAGED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.catalogd.CatalogdMain;
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
        Request post = new Request.Builder().url(FLEET.url(INGESTD) + "/ingest/" + dataset + "?mode=append")
                .post(RequestBody.create(csv.getBytes(StandardCharsets.UTF_8), MediaType.get("text/csv"))).build();
        try (Response r = Http.SIGNED.newCall(post).execute()) {
            JsonNode body = Json.TOLERANT.readTree(r.body().bytes());
            assertEquals(400, r.code(), body.toString());
            assertEquals(400, body.path("status").asInt(), body.toString());
            return body.path("code").asText();
        }
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
}
