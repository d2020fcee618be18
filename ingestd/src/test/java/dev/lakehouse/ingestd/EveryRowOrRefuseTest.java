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
 * An ingest keeps every data row of its body or refuses it with a 400 naming the line: DuckDB's sniffer, left to
 * itself, skips leading lines when a wider table starts further down, and reads a line starting with '#' as a comment
 * (docs/adr/0041-every-row-or-refuse.md). Real DuckDB, real devs3.
 */
class EveryRowOrRefuseTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start).with(CATALOGD, CatalogdMain::start)
            .with(INGESTD, IngestdMain::start, Map.of("ingestd.duckdb_threads", "1"));

    /** ingestd's answer to {@code csv} appended to {@code dataset} with {@code query}: status and JSON body. */
    static JsonNode post(int status, String dataset, String query, String csv) throws IOException {
        Request post = new Request.Builder().url(FLEET.url(INGESTD) + "/ingest/" + dataset + "?mode=append" + query)
                .post(RequestBody.create(csv.getBytes(StandardCharsets.UTF_8), MediaType.get("text/csv"))).build();
        try (Response r = Http.SIGNED.newCall(post).execute()) {
            JsonNode body = Json.TOLERANT.readTree(r.body().bytes());
            assertEquals(status, r.code(), body.toString());
            return body;
        }
    }

    static void assertRefused(String code, long line, JsonNode err) {
        assertEquals(code, err.path("code").asText(), err.toString());
        assertEquals(line, err.path("line").asLong(), err.toString());
    }

    @Test
    void shortRowsBeforeALongRowAreRefusedAtTheFirstShortRowInsteadOfKeepingOnlyTheLongRow() throws IOException {
        JsonNode err = post(400, "shortfirst", "", "a,b,c\n1,2\n3\n4,5,6,7\n");
        assertRefused(ErrorCodes.RAGGED_ROW, 2, err);
        assertEquals(3, err.path("sniffed_skip").asInt(), err.toString());
    }

    @Test
    void withNullPaddingTheShortRowsArePaddedButTheLongRowIsStillRefused() throws IOException {
        assertRefused(ErrorCodes.RAGGED_ROW, 4, post(400, "padlong", "&null_padding=true", "a,b,c\n1,2\n3\n4,5,6,7\n"));
    }

    @Test
    void withNullPaddingShortRowsFirstAreAllKept() throws IOException {
        JsonNode ok = post(201, "padshort", "&null_padding=true", "a,b,c\n1\n2\n1,2,3\n");
        assertEquals(3, ok.path("rows").asLong(), ok.toString());
    }

    @Test
    void aLongRowLastIsRefusedNamingItsLine() throws IOException {
        assertRefused(ErrorCodes.RAGGED_ROW, 3, post(400, "longlast", "", "a,b,c\n1,2,3\n4,5,6,7\n"));
    }

    @Test
    void aTitleLineBeforeTheHeaderIsRefusedUntilTheClientAsksToSkipIt() throws IOException {
        String csv = "title line\na,b,c\n1,2,3\n";
        JsonNode err = post(400, "titled", "", csv);
        assertRefused(ErrorCodes.RAGGED_ROW, 2, err);
        assertEquals(1, err.path("sniffed_skip").asInt(), err.toString());
        JsonNode ok = post(201, "titled", "&skip=1", csv);
        assertEquals(1, ok.path("rows").asLong(), ok.toString());
    }

    @Test
    void aOneFieldFirstLineBeforeWiderRowsIsRefusedAtTheFirstWiderRow() throws IOException {
        assertRefused(ErrorCodes.RAGGED_ROW, 2, post(400, "narrowhead", "", "id\n1,2\n3,4\n5,6\n"));
    }

    @Test
    void leadingBlankLinesThatTheSnifferSkipsAreNoRowsAndTheBodyIsKept() throws IOException {
        JsonNode ok = post(201, "blanklead", "", "\n\n  \na,b\n1,2\n3,4\n");
        assertEquals(2, ok.path("rows").asLong(), ok.toString());
        assertEquals("a", ok.path("schema").path(0).path("name").asText(), ok.toString());
    }

    @Test
    void aLineStartingWithAHashIsARowNotAComment() throws IOException {
        JsonNode ok = post(201, "hashes", "", "a,b\n#1,2\n3,4\n5,6\n");
        assertEquals(3, ok.path("rows").asLong(), ok.toString());
    }
}
