package dev.lakehouse.queryd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.config.S3Settings;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.testkit.S3Extension;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every version of a dataset read by an Iceberg client — iceberg-core's RESTCatalog on catalogd, S3FileIO
 * with its own keys (nothing vended), Iceberg's scan planning and Parquet reader — gives what queryd answers
 * for that version: counts, sums and GROUP BY, across a replace that changes the schema.
 */
class IcebergClientsReadWhatQuerydAnswersTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final Lake LAKE = new Lake(S3);

    static ServiceApp queryd;
    static final List<ColumnSpec> OLD = List.of(new ColumnSpec("id", "BIGINT"), new ColumnSpec("region", "VARCHAR"),
            new ColumnSpec("amount", "DOUBLE"), new ColumnSpec("day", "DATE"));
    static final List<ColumnSpec> NEW = List.of(new ColumnSpec("id", "VARCHAR"), new ColumnSpec("region", "VARCHAR"),
            new ColumnSpec("price", "DECIMAL(12,2)"));

    @BeforeAll
    static void start() throws Exception {
        queryd = LAKE.queryd(Map.of());
        String old = "SELECT range AS id, ['north','south','east'][range % 3 + 1] AS region, (range % 10 + 0.5)::DOUBLE AS amount,"
                + " DATE '2026-01-01' + (range % 30)::INTEGER AS day FROM range(FROM_, TO_)";
        FileEntry a = LAKE.parquet("shop", old.replace("FROM_", "0").replace("TO_", "300"));
        FileEntry b = LAKE.parquet("shop", old.replace("FROM_", "300").replace("TO_", "420"));
        FileEntry c = LAKE.parquet("shop", "SELECT 'p' || range AS id, ['west','north'][range % 2 + 1] AS region,"
                + " (range * 0.37)::DECIMAL(12,2) AS price FROM range(77)");
        LAKE.register("shop", OLD, List.of(a));
        LAKE.register("shop", OLD, List.of(a, b)); // an append
        LAKE.register("shop", NEW, List.of(c)); // a replace with another schema
    }

    @Test
    void everyVersionReadThroughTheRestCatalogMatchesQuerydsAnswerForThatVersion() throws Exception {
        S3Settings s3 = S3.settings();
        try (RESTCatalog cat = new RESTCatalog()) {
            cat.initialize("lakehouse", Map.of(
                    "uri", LAKE.catalogd.baseUrl() + "/iceberg",
                    "header.X-Lakehouse-Fleet-Token", S3.credential().headerValue(),
                    "io-impl", "org.apache.iceberg.aws.s3.S3FileIO",
                    "http-client.type", "urlconnection",
                    "s3.access-key-id", s3.accessKey(),
                    "s3.secret-access-key", s3.secretKey()));
            Table shop = cat.loadTable(TableIdentifier.of("lakehouse", "shop"));
            assertEquals(3L, shop.currentSnapshot().snapshotId());
            for (int v = 1; v <= 3; v++) {
                List<Record> rows = rows(shop, v);
                String measure = v < 3 ? "amount" : "price";
                JsonNode total = sql("SELECT count(*), sum(" + measure + ") FROM shop", v);
                assertEquals(total.get(0).asLong(), rows.size(), "count(*) of version " + v);
                assertEquals(0, new BigDecimal(total.get(1).asText()).compareTo(sum(rows, measure, null)),
                        "sum(" + measure + ") of version " + v);
                Map<String, String> byRegion = new TreeMap<>();
                for (JsonNode g : sqlRows("SELECT region, count(*), sum(" + measure + ") FROM shop GROUP BY region", v)) {
                    byRegion.put(g.get(0).asText(), g.get(1).asLong() + "/" + new BigDecimal(g.get(2).asText()).stripTrailingZeros());
                }
                Map<String, String> iceberg = new TreeMap<>();
                rows.stream().map(r -> (String) r.getField("region")).distinct().forEach(region -> iceberg.put(region,
                        rows.stream().filter(r -> region.equals(r.getField("region"))).count() + "/"
                                + sum(rows, measure, region).stripTrailingZeros()));
                assertEquals(byRegion, iceberg, "GROUP BY region of version " + v);
                JsonNode ids = sql("SELECT min(id)::VARCHAR, max(id)::VARCHAR FROM shop", v);
                List<String> icebergIds = rows.stream().map(r -> r.getField("id")).map(String::valueOf).toList();
                if (v < 3) {
                    assertEquals(ids.get(1).asText(), String.valueOf(rows.stream().mapToLong(r -> (Long) r.getField("id")).max().orElseThrow()));
                } else {
                    assertEquals(ids.get(1).asText(), icebergIds.stream().max(String::compareTo).orElseThrow());
                }
            }
        }
    }

    static BigDecimal sum(List<Record> rows, String column, String region) {
        BigDecimal s = BigDecimal.ZERO;
        for (Record r : rows) {
            if (region == null || region.equals(r.getField("region"))) {
                Object x = r.getField(column);
                s = s.add(x instanceof BigDecimal d ? d : BigDecimal.valueOf((Double) x));
            }
        }
        return s;
    }

    static JsonNode sql(String sql, int version) {
        return sqlRows(sql, version).get(0);
    }

    static JsonNode sqlRows(String sql, int version) {
        Http.Reply r = Http.sql(queryd.baseUrl() + "/sql?version=" + version, sql);
        assertEquals(200, r.code(), r.text());
        return r.json().get("rows");
    }

    /** The rows of snapshot {@code v} with its schema, each file read through the table's name mapping. */
    static List<Record> rows(Table table, long v) throws Exception {
        TableScan scan = table.newScan().useSnapshot(v);
        Schema schema = scan.schema();
        NameMapping mapping = NameMappingParser.fromJson(table.properties().get(TableProperties.DEFAULT_NAME_MAPPING));
        List<Record> out = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = scan.planFiles()) {
            for (FileScanTask t : tasks) {
                try (CloseableIterable<Record> it = Parquet.read(table.io().newInputFile(t.file().location()))
                        .project(schema).withNameMapping(mapping)
                        .createReaderFunc(fs -> GenericParquetReaders.buildReader(schema, fs)).build()) {
                    it.forEach(r -> out.add(r.copy()));
                }
            }
        }
        return out;
    }
}
