package dev.lakehouse.queryd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.ingestd.IngestdMain;
import dev.lakehouse.testkit.S3Extension;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SQL path end to end with every real part: CSV → ingestd → Parquet in S3 + manifest → queryd. */
class IngestThenQueryTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final Lake LAKE = new Lake(S3);

    static ServiceApp ingestd;
    static ServiceApp queryd;

    @BeforeAll
    static void start() throws Exception {
        ingestd = LAKE.fleet.start(Service.INGESTD, IngestdMain::start, Map.of("ingestd.duckdb_threads", "1"));
        queryd = LAKE.queryd(Map.of());
    }

    static JsonNode ingest(String dataset, String mode, String csv) {
        Http.Reply r = Http.post(ingestd.baseUrl() + "/ingest/" + dataset + "?mode=" + mode, csv, "text/csv", null);
        assertTrue(r.code() == 201 || r.code() == 200, r.code() + " " + r.text());
        return r.json();
    }

    static JsonNode sql(String sql) {
        Http.Reply r = Http.sql(queryd.baseUrl() + "/sql", sql);
        assertEquals(200, r.code(), r.text());
        return r.json();
    }

    @Test
    void ingestedCsvIsQueryableWithItsInferredTypesAndEveryAppend() {
        ingest("orders", "append", """
                id,customer,amount,paid,day
                1,ann,10.5,true,2026-01-01
                2,bob,20.25,false,2026-01-02
                3,ann,4.25,true,2026-01-02
                """);
        JsonNode byCustomer = sql("SELECT customer, count(*) AS n, sum(amount) AS total, bool_and(paid) AS all_paid"
                + " FROM orders GROUP BY customer ORDER BY customer");
        assertEquals("ann", byCustomer.at("/rows/0/0").asText());
        assertEquals(2, byCustomer.at("/rows/0/1").asInt());
        assertEquals(14.75, byCustomer.at("/rows/0/2").asDouble(), 1e-9);
        assertTrue(byCustomer.at("/rows/0/3").asBoolean());
        JsonNode types = sql("SELECT * FROM orders LIMIT 1").get("columns");
        assertEquals("BIGINT", types.at("/0/type").asText());
        assertEquals("DOUBLE", types.at("/2/type").asText());
        assertEquals("DATE", types.at("/4/type").asText());

        JsonNode v2 = ingest("orders", "append", "id,customer,amount,paid,day\n4,cat,100.0,false,2026-01-03\n");
        JsonNode after = sql("SELECT count(*), sum(amount) FROM orders");
        assertEquals(4, after.at("/rows/0/0").asInt(), "the append is visible on the next query");
        assertEquals(135.0, after.at("/rows/0/1").asDouble(), 1e-9);
        assertEquals(v2.get("version").asInt(), after.at("/versions/orders").asInt());

        ingest("orders", "replace", "id,customer,amount,paid,day\n9,dan,1.0,true,2026-02-01\n");
        assertEquals(1, sql("SELECT count(*) FROM orders").at("/rows/0/0").asInt(), "replace is seen at once");
        Http.Reply older = Http.sql(queryd.baseUrl() + "/sql?version=" + v2.get("version").asInt(), "SELECT count(*) FROM orders");
        assertEquals(4, older.json().at("/rows/0/0").asInt(), "time travel to the version before the replace");
    }
}
