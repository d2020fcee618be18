package dev.lakehouse.consoletest;

import static dev.lakehouse.common.config.Service.CATALOGD;
import static dev.lakehouse.common.config.Service.EMBEDD;
import static dev.lakehouse.common.config.Service.INGESTD;
import static dev.lakehouse.common.config.Service.QUERYD;
import static dev.lakehouse.common.config.Service.STORAGED;
import static dev.lakehouse.common.config.Service.VECTORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.catalogd.CatalogdMain;
import dev.lakehouse.embedd.EmbeddMain;
import dev.lakehouse.ingestd.IngestdMain;
import dev.lakehouse.queryd.QuerydMain;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.Http;
import dev.lakehouse.testkit.Http.Reply;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import dev.lakehouse.vectord.VectordMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Indexes that follow a dataset (issue 17 item 2): CSV in through ingestd, rows read by vectord through queryd,
 * text embedded by the real embedd (ONNX MiniLM), versions seen in catalogd; all in-process on the embedded S3.
 */
class DatasetBackedIndexTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start).with(CATALOGD, CatalogdMain::start)
            .with(INGESTD, IngestdMain::start, Map.of("ingestd.duckdb_threads", "1"))
            .with(QUERYD, QuerydMain::start, Map.of("queryd.duckdb_memory_limit", "512MB"))
            .with(EMBEDD, EmbeddMain::start)
            // the poll is off unless a test turns it on: syncs happen when the test asks, so counts are exact
            .with(VECTORD, VectordMain::start, Map.of("vectord.source_poll_interval", "0s", "vectord.source_page_rows", "3"));

    static final String HEADER = "id,title,city,rate\n";
    static final String V1 = HEADER
            + "c1,senior java backend engineer with kafka,Austin,75\n"
            + "c2,junior qa engineer writing manual test plans,Austin,40\n"
            + "c3,pastry chef baking sourdough bread,Dallas,30\n"
            + "c4,registered nurse in intensive care,Boston,60\n"
            + "c5,frontend react developer,Austin,90\n";

    static void ingest(String dataset, String mode, String csv) throws IOException {
        Request r = new Request.Builder().url(FLEET.url(INGESTD) + "/ingest/" + dataset + "?mode=" + mode)
                .post(RequestBody.create(csv.getBytes(StandardCharsets.UTF_8), MediaType.get("text/csv"))).build();
        try (Response resp = Http.SIGNED.newCall(r).execute()) {
            assertEquals(201, resp.code(), resp.body().string());
        }
    }

    static Reply vectord(String method, String path, Object body) {
        return FLEET.call(VECTORD, method, path, body);
    }

    static Map<String, Object> source(String dataset) {
        return Map.of("dataset", dataset, "id_column", "id", "text_columns", List.of("title"),
                "metadata_columns", List.of("city", "rate"));
    }

    static Reply create(String index, String dataset) {
        return vectord("POST", "/index", Map.of("name", index, "dim", 384, "source", source(dataset)));
    }

    static JsonNode searchText(String index, String text, Object filter) {
        Map<String, Object> body = filter == null ? Map.of("text", text, "k", 5) : Map.of("text", text, "k", 5, "filter", filter);
        Reply r = vectord("POST", "/index/" + index + "/search", body);
        assertEquals(200, r.status(), () -> r.body().toString());
        return r.body().get("hits");
    }

    @Test
    void creatingAnIndexWithASourceEmbedsEveryRowAndShowsTheVersionItReflects() throws IOException {
        ingest("cands", "append", V1);
        Reply r = create("cands_idx", "cands");
        assertEquals(201, r.status(), () -> r.body().toString());
        assertEquals(5, r.body().get("count").asInt(), r.body().toString());
        JsonNode src = r.body().get("source");
        assertEquals("in_sync", src.get("status").asText(), src.toString());
        assertEquals(1, src.get("dataset_version").asInt());
        assertEquals(5, src.get("last_embedded").asInt());

        JsonNode hits = searchText("cands_idx", "java developer who knows kafka", "city = 'Austin' AND rate < 80");
        assertEquals("c1", hits.get(0).get("id").asText(), hits.toString());
        assertEquals(75, hits.get(0).get("metadata").get("rate").asInt(), "metadata columns keep their types");
        assertEquals("senior java backend engineer with kafka", hits.get(0).get("metadata").get("title").asText());
    }

    @Test
    void aNewVersionEmbedsOnlyNewAndChangedRowsAndRemovesDeletedOnes() throws IOException {
        ingest("follow", "append", V1);
        assertEquals(201, create("follow_idx", "follow").status());
        // v2 replaces the rows: c3 is gone, c4 changed city, c6 is new, c1 c2 c5 are as they were
        ingest("follow", "replace", HEADER
                + "c1,senior java backend engineer with kafka,Austin,75\n"
                + "c2,junior qa engineer writing manual test plans,Austin,40\n"
                + "c4,registered nurse in intensive care,Denver,60\n"
                + "c5,frontend react developer,Austin,90\n"
                + "c6,kubernetes site reliability engineer,Austin,85\n");
        Reply before = vectord("GET", "/index/follow_idx", null);
        assertEquals(1, before.body().at("/source/dataset_version").asInt(), "nothing syncs until asked (poll off)");

        Reply s = vectord("POST", "/index/follow_idx/sync", null);
        assertEquals(200, s.status(), () -> s.body().toString());
        JsonNode src = s.body().get("source");
        assertEquals(2, src.get("dataset_version").asInt(), src.toString());
        assertEquals(2, src.get("last_embedded").asInt(), "only c4 (changed) and c6 (new) are embedded: " + src);
        assertEquals(1, src.get("last_removed").asInt(), src.toString());
        assertEquals(5, s.body().get("count").asInt());
        assertEquals(404, vectord("GET", "/index/follow_idx/items/c3", null).status());
        assertEquals("Denver", vectord("GET", "/index/follow_idx/items/c4", null).body().at("/metadata/city").asText());
        assertEquals("c6", searchText("follow_idx", "kubernetes SRE", null).get(0).get("id").asText());

        Reply again = vectord("POST", "/index/follow_idx/sync", null);
        assertEquals(src.get("synced_at").asText(), again.body().at("/source/synced_at").asText(),
                "a version already reflected is not read again");
    }

    @Test
    void aDeletedDatasetMarksTheIndexStaleWithTheReasonAndSearchesAreStillServed() throws IOException {
        ingest("gone", "append", V1);
        assertEquals(201, create("gone_idx", "gone").status());
        FLEET.catalog().delete("gone");

        Reply s = vectord("POST", "/index/gone_idx/sync", null);
        assertEquals(200, s.status(), () -> s.body().toString());
        assertEquals("stale", s.body().at("/source/status").asText());
        assertTrue(s.body().at("/source/reason").asText().contains("'gone' was deleted"), s.body().toString());
        assertEquals(5, s.body().get("count").asInt(), "the items are kept");
        assertEquals("c3", searchText("gone_idx", "bakery bread", null).get(0).get("id").asText());
    }

    @Test
    void theSyncStateSurvivesARestartAndThePollFollowsAnAppend() throws IOException {
        ingest("polled", "append", V1);
        assertEquals(201, create("polled_idx", "polled").status());
        FLEET.stop(VECTORD);
        FLEET.keys(VECTORD).put("vectord.source_poll_interval", "200ms");
        try {
            FLEET.start(VECTORD);
            awaitReady();
            assertEquals(1, vectord("GET", "/index/polled_idx", null).body().at("/source/dataset_version").asInt(),
                    "read back from storage");
            ingest("polled", "append", HEADER + "c7,data engineer building spark pipelines,Austin,70\n");
            JsonNode info = null;
            for (int i = 0; i < 150; i++) { // bounded: 30 s at most
                info = vectord("GET", "/index/polled_idx", null).body();
                if (info.at("/source/dataset_version").asInt() == 2) {
                    break;
                }
                Http.sleep(200);
            }
            assertEquals(2, info.at("/source/dataset_version").asInt(), info.toString());
            assertEquals(6, info.get("count").asInt());
            assertEquals(1, info.at("/source/last_embedded").asInt(), "only the appended row: " + info);
        } finally {
            FLEET.stop(VECTORD);
            FLEET.keys(VECTORD).put("vectord.source_poll_interval", "0s");
            FLEET.start(VECTORD);
            awaitReady();
        }
    }

    static void awaitReady() {
        for (int i = 0; i < 100 && vectord("GET", "/index", null).status() != 200; i++) {
            Http.sleep(100);
        }
    }

    @Test
    void aSourceThatCannotWorkIsA400AndLeavesNoIndexAndSyncNeedsASource() throws IOException {
        Reply missing = create("nope_idx", "no_such_dataset");
        assertEquals(400, missing.status(), () -> missing.body().toString());
        assertEquals("bad_index_source", missing.body().get("code").asText());
        assertEquals(404, vectord("GET", "/index/nope_idx", null).status(), "the create was undone");

        ingest("cols", "append", V1);
        Reply badColumn = vectord("POST", "/index", Map.of("name", "cols_idx", "dim", 384, "source",
                Map.of("dataset", "cols", "id_column", "id", "text_columns", List.of("summary"))));
        assertEquals(400, badColumn.status(), () -> badColumn.body().toString());
        assertEquals("bad_index_source", badColumn.body().get("code").asText());
        assertEquals(404, vectord("GET", "/index/cols_idx", null).status());

        Reply noText = vectord("POST", "/index", Map.of("name", "t_idx", "dim", 384, "source",
                Map.of("dataset", "cols", "id_column", "id", "text_columns", List.of())));
        assertEquals(400, noText.status());
        assertTrue(noText.body().get("error").asText().contains("text_columns"));

        assertEquals(201, vectord("POST", "/index", Map.of("name", "plain", "dim", 4)).status());
        Reply sync = vectord("POST", "/index/plain/sync", null);
        assertEquals(409, sync.status());
        assertEquals("index_has_no_source", sync.body().get("code").asText());
    }
}
