package dev.lakehouse.interop;

import static dev.lakehouse.common.config.Service.CATALOGD;
import static dev.lakehouse.common.config.Service.INGESTD;
import static dev.lakehouse.common.config.Service.QUERYD;
import static dev.lakehouse.common.config.Service.STORAGED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.catalogd.CatalogdMain;
import dev.lakehouse.common.config.S3Settings;
import dev.lakehouse.ingestd.IngestdMain;
import dev.lakehouse.queryd.QuerydMain;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.Http;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Apache Spark (local mode, Iceberg's Spark runtime, S3FileIO on the embedded S3 with path-style access) reads
 * a dataset ingested through ingestd — two appends, then a replace that changes the schema — through catalogd's
 * Iceberg REST catalog, and its count(*), sum and GROUP BY answers for every version equal queryd's.
 */
class SparkReadsWhatQuerydAnswersTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();

    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start).with(CATALOGD, CatalogdMain::start)
            .with(INGESTD, IngestdMain::start, Map.of("ingestd.duckdb_threads", "1"))
            .with(QUERYD, QuerydMain::start, Map.of("queryd.duckdb_memory_limit", "256MB"));

    static SparkSession spark;

    @BeforeAll
    static void ingestThreeVersionsAndStartSpark() {
        ingest("shop", "append", oldRows(0, 300));   // v1
        ingest("shop", "append", oldRows(300, 420)); // v2: an append
        StringBuilder csv = new StringBuilder("id,region,price\n");
        for (int i = 0; i < 77; i++) {
            csv.append('p').append(i).append(',').append(i % 2 == 0 ? "west" : "north").append(',').append(i * 0.25).append('\n');
        }
        ingest("shop", "replace", csv.toString()); // v3: another schema (id becomes text, amount and day go, price comes)

        S3Settings s3 = S3.settings();
        spark = SparkSession.builder().master("local[2]").appName("lakehouse-interop")
                .config("spark.ui.enabled", "false")
                .config("spark.metrics.conf.*.sink.servlet.class", NoMetricsServlet.class.getName())
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.warehouse.dir", S3.tempDir().resolve("spark-warehouse").toString())
                .config("spark.local.dir", S3.tempDir().resolve("spark-local").toString())
                // the configuration docs/iceberg.md gives users, with catalogd in place of the gateway
                .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
                .config("spark.sql.catalog.lh", "org.apache.iceberg.spark.SparkCatalog")
                .config("spark.sql.catalog.lh.type", "rest")
                .config("spark.sql.catalog.lh.uri", FLEET.url(CATALOGD) + "/iceberg")
                .config("spark.sql.catalog.lh.header.X-Lakehouse-Fleet-Token", S3.credential().headerValue())
                .config("spark.sql.catalog.lh.io-impl", "org.apache.iceberg.aws.s3.S3FileIO")
                .config("spark.sql.catalog.lh.http-client.type", "urlconnection")
                // own keys, nothing vended; endpoint, path-style access and region come from /v1/config
                .config("spark.sql.catalog.lh.s3.access-key-id", s3.accessKey())
                .config("spark.sql.catalog.lh.s3.secret-access-key", s3.secretKey())
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void sparkSeesEveryDatasetVersionAsASnapshotInOrder() {
        List<Long> snapshots = spark.sql("SELECT snapshot_id FROM lh.lakehouse.shop.snapshots ORDER BY committed_at, snapshot_id")
                .collectAsList().stream().map(r -> r.getLong(0)).toList();
        assertEquals(List.of(1L, 2L, 3L), snapshots);
        List<String> tables = spark.sql("SHOW TABLES IN lh.lakehouse").collectAsList().stream().map(r -> r.getString(1)).toList();
        assertEquals(List.of("shop"), tables);
    }

    @Test
    void sparksCountSumAndGroupByOfEveryVersionEqualQuerydsForThatVersion() {
        for (int v = 1; v <= 3; v++) {
            String measure = v < 3 ? "amount" : "price";
            String table = "lh.lakehouse.shop VERSION AS OF " + v;
            JsonNode q = querydRows("SELECT count(*), sum(" + measure + ") FROM shop", v).get(0);
            Row s = spark.sql("SELECT count(*), sum(" + measure + ") FROM " + table).first();
            assertEquals(q.get(0).asLong(), s.getLong(0), "count(*) of version " + v);
            assertEquals(0, new BigDecimal(q.get(1).asText()).compareTo(decimal(s.get(1))), "sum(" + measure + ") of version " + v);

            Map<String, String> byQueryd = new TreeMap<>();
            for (JsonNode g : querydRows("SELECT region, count(*), sum(" + measure + ") FROM shop GROUP BY region", v)) {
                byQueryd.put(g.get(0).asText(), g.get(1).asLong() + "/" + new BigDecimal(g.get(2).asText()).stripTrailingZeros().toPlainString());
            }
            Map<String, String> bySpark = new TreeMap<>();
            for (Row g : spark.sql("SELECT region, count(*), sum(" + measure + ") FROM " + table + " GROUP BY region").collectAsList()) {
                bySpark.put(g.getString(0), g.getLong(1) + "/" + decimal(g.get(2)).stripTrailingZeros().toPlainString());
            }
            assertEquals(byQueryd, bySpark, "GROUP BY region of version " + v);
            assertEquals(v < 3 ? 3 : 2, bySpark.size(), "regions of version " + v);

            String q2 = querydRows("SELECT max(id)::VARCHAR FROM shop", v).get(0).get(0).asText();
            assertEquals(q2, String.valueOf(spark.sql("SELECT max(id) FROM " + table).first().get(0)), "max(id) of version " + v);
        }
        // no VERSION AS OF: the current snapshot is the newest version, with its own schema
        Row latest = spark.sql("SELECT count(*), sum(price) FROM lh.lakehouse.shop").first();
        JsonNode q = querydRows("SELECT count(*), sum(price) FROM shop", 3).get(0);
        assertEquals(q.get(0).asLong(), latest.getLong(0));
        assertEquals(0, new BigDecimal(q.get(1).asText()).compareTo(decimal(latest.get(1))));
    }

    @Test
    void sparkReadsEachVersionsDatesAsQuerydDoes() {
        for (int v = 1; v <= 2; v++) {
            List<String> q = new ArrayList<>();
            querydRows("SELECT day::VARCHAR, count(*) FROM shop GROUP BY day ORDER BY day", v).forEach(r -> q.add(r.get(0).asText() + "=" + r.get(1).asLong()));
            List<String> s = spark.sql("SELECT cast(day AS string), count(*) FROM lh.lakehouse.shop VERSION AS OF " + v + " GROUP BY day ORDER BY day")
                    .collectAsList().stream().map(r -> r.getString(0) + "=" + r.getLong(1)).toList();
            assertEquals(q, s, "days of version " + v);
        }
    }

    /** Rows {@code [from, to)} of the first schema; amounts are multiples of 1/4, so every double sum is exact. */
    static String oldRows(int from, int to) {
        StringBuilder csv = new StringBuilder("id,region,amount,day\n");
        String[] regions = {"north", "south", "east"};
        for (int i = from; i < to; i++) {
            csv.append(i).append(',').append(regions[i % 3]).append(',').append(i % 10 + 0.25).append(',')
                    .append(String.format("2026-01-%02d", i % 28 + 1)).append('\n');
        }
        return csv.toString();
    }

    static void ingest(String dataset, String mode, String csv) {
        Request req = new Request.Builder().url(FLEET.url(INGESTD) + "/ingest/" + dataset + "?mode=" + mode)
                .post(RequestBody.create(csv.getBytes(), MediaType.get("text/csv"))).build();
        try (Response r = Http.SIGNED.newCall(req).execute()) {
            assertEquals(201, r.code(), r.body().string());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode querydRows(String sql, int version) {
        Http.Reply r = Http.call(FLEET.url(QUERYD), "POST", "/sql?version=" + version, Map.of("sql", sql));
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body().get("rows");
    }

    static BigDecimal decimal(Object sparkValue) {
        return sparkValue instanceof BigDecimal d ? d : new BigDecimal(String.valueOf(sparkValue));
    }
}
