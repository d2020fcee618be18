package dev.lakehouse.catalogd.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.catalogd.CatalogdMain;
import dev.lakehouse.catalogd.TestLake;
import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.ObjectInfo;
import dev.lakehouse.common.model.RegisterRequest;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The datasets read by Iceberg's own client: {@link RESTCatalog} against catalogd (in-process, on storaged and
 * the embedded S3), S3FileIO on the vended endpoint and keys, Iceberg's generic Parquet reader for the rows.
 */
class IcebergRestCatalogTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();

    static final List<ColumnSpec> V1_SCHEMA = List.of(new ColumnSpec("id", "BIGINT"), new ColumnSpec("name", "VARCHAR"));
    static final List<ColumnSpec> V3_SCHEMA = List.of(new ColumnSpec("id", "VARCHAR"), new ColumnSpec("amount", "DECIMAL(10,2)"));
    static final OkHttpClient http = S3Extension.signing(new OkHttpClient());

    static final Map<String, String> CATALOGD_KEYS = Map.of("catalogd.rehydrate_retry", "100ms",
            "catalogd.iceberg.vend_s3_credentials", "true");
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(Service.STORAGED, StoragedMain::start);

    static StorageClient storage;
    static ServiceApp catalogd;
    static CatalogClient client;

    @BeforeAll
    static void start() throws Exception {
        storage = FLEET.storage();
        startCatalogd();
        // sales: v1 = 100 rows; v2 = v1 + 50 rows; v3 = replace with another schema (id changes type, a new column)
        FileEntry a = parquet("datasets/sales/a.parquet", "SELECT range AS id, 'n' || range AS name FROM range(100)");
        FileEntry b = parquet("datasets/sales/b.parquet", "SELECT range AS id, 'n' || range AS name FROM range(100, 150)");
        FileEntry c = parquet("datasets/sales/c.parquet",
                "SELECT 'k' || range AS id, (range * 1.25)::DECIMAL(10,2) AS amount FROM range(8)");
        client.register("sales", new RegisterRequest(V1_SCHEMA, List.of(a), null));
        client.register("sales", new RegisterRequest(V1_SCHEMA, List.of(a, b), null));
        client.register("sales", new RegisterRequest(V3_SCHEMA, List.of(c), null));
        FileEntry t = parquet("datasets/typed/t.parquet", "SELECT true AS ok, DATE '2026-01-02' AS day, 2.5::DOUBLE AS x");
        client.register("typed", new RegisterRequest(List.of(new ColumnSpec("ok", "BOOLEAN"), new ColumnSpec("day", "DATE"),
                new ColumnSpec("x", "DOUBLE")), List.of(t), null));
    }

    static void startCatalogd() {
        catalogd = FLEET.start(Service.CATALOGD, CatalogdMain::start, CATALOGD_KEYS);
        client = FLEET.catalog();
    }

    static RESTCatalog restCatalog() {
        RESTCatalog cat = new RESTCatalog();
        Map<String, String> props = new HashMap<>();
        props.put("uri", catalogd.baseUrl() + "/iceberg");
        props.put("header.X-Lakehouse-Fleet-Token", S3.credential().headerValue());
        props.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
        props.put("http-client.type", "urlconnection");
        cat.initialize("lakehouse", props);
        return cat;
    }

    static Table load(RESTCatalog cat, String name) {
        return cat.loadTable(TableIdentifier.of("lakehouse", name));
    }

    /**
     * The rows of a snapshot (the current one if null) as an engine reads them: Iceberg plans the scan from the
     * manifests, its Parquet reader reads each file with the snapshot's schema through the table's name mapping.
     * (IcebergGenerics alone would not apply the mapping; Spark, Trino and PyIceberg do.)
     */
    static List<Record> rows(Table table, Long snapshotId) throws IOException {
        TableScan scan = table.newScan();
        if (snapshotId != null) {
            scan = scan.useSnapshot(snapshotId);
        }
        Schema schema = scan.schema();
        NameMapping mapping = NameMappingParser.fromJson(table.properties().get(TableProperties.DEFAULT_NAME_MAPPING));
        List<Record> out = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = scan.planFiles()) {
            for (FileScanTask task : tasks) {
                assertEquals(FileFormat.PARQUET, task.file().format());
                try (CloseableIterable<Record> it = Parquet.read(table.io().newInputFile(task.file().location()))
                        .project(schema).withNameMapping(mapping)
                        .createReaderFunc(fs -> GenericParquetReaders.buildReader(schema, fs)).build()) {
                    it.forEach(r -> out.add(r.copy()));
                }
            }
        }
        return out;
    }

    @Test
    void theRestCatalogListsTheOneNamespaceAndEveryDatasetAsATable() throws Exception {
        try (RESTCatalog cat = restCatalog()) {
            assertEquals(List.of(Namespace.of("lakehouse")), cat.listNamespaces());
            assertEquals(List.of(TableIdentifier.of("lakehouse", "sales"), TableIdentifier.of("lakehouse", "typed")),
                    cat.listTables(Namespace.of("lakehouse")).stream().sorted((x, y) -> x.name().compareTo(y.name())).toList());
            assertTrue(cat.tableExists(TableIdentifier.of("lakehouse", "sales")));
            assertFalse(cat.tableExists(TableIdentifier.of("lakehouse", "nope")));
            assertThrows(NoSuchTableException.class, () -> load(cat, "nope"));
        }
    }

    @Test
    void aScanOfTheLatestSnapshotReadsEveryRowOfTheLatestVersion() throws Exception {
        try (RESTCatalog cat = restCatalog()) {
            Table sales = load(cat, "sales");
            assertEquals(3L, sales.currentSnapshot().snapshotId(), "snapshot id = dataset version");
            List<Record> rows = rows(sales, null);
            assertEquals(8, rows.size());
            BigDecimal sum = rows.stream().map(r -> (BigDecimal) r.getField("amount")).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertEquals(new BigDecimal("35.00"), sum); // 1.25 * (0+..+7)
            assertEquals("k7", rows.stream().map(r -> (String) r.getField("id")).max(String::compareTo).orElseThrow());

            List<Record> typed = rows(load(cat, "typed"), null);
            assertEquals(1, typed.size());
            assertEquals(true, typed.get(0).getField("ok"));
            assertEquals(LocalDate.of(2026, 1, 2), typed.get(0).getField("day"));
            assertEquals(2.5, typed.get(0).getField("x"));
        }
    }

    @Test
    void timeTravelToEachSnapshotReadsThatVersionWithItsOwnSchema() throws Exception {
        try (RESTCatalog cat = restCatalog()) {
            Table sales = load(cat, "sales");
            assertEquals(List.of(1L, 2L, 3L), sales.history().stream().map(h -> h.snapshotId()).toList());
            long[] expectedRows = {100, 150, 8};
            for (int v = 1; v <= 3; v++) {
                Snapshot s = sales.snapshot(v);
                assertEquals(Integer.toString(v), s.summary().get("lakehouse.version"));
                assertEquals(expectedRows[v - 1], Long.parseLong(s.summary().get("total-records")));
                List<Record> rows = rows(sales, (long) v);
                assertEquals(expectedRows[v - 1], rows.size(), "rows of version " + v);
                if (v < 3) {
                    long sum = rows.stream().mapToLong(r -> (Long) r.getField("id")).sum();
                    assertEquals(expectedRows[v - 1] * (expectedRows[v - 1] - 1) / 2, sum, "sum(id) of version " + v);
                    assertEquals("n0", rows.stream().map(r -> (String) r.getField("name")).min(String::compareTo).orElseThrow());
                }
            }
            Schema v1 = sales.schemas().get(sales.snapshot(1).schemaId());
            Schema v3 = sales.schemas().get(sales.snapshot(3).schemaId());
            assertEquals(Types.LongType.get(), v1.findType("id"));
            assertEquals(Types.StringType.get(), v3.findType("id"));
            assertEquals(v1.findField("id").fieldId(), v3.findField("id").fieldId(), "one id per column name (name mapping)");
            String mapping = sales.properties().get(TableProperties.DEFAULT_NAME_MAPPING);
            assertNotNull(mapping);
            assertTrue(mapping.contains("\"name\"") && mapping.contains("\"amount\""), "every name ever: " + mapping);
        }
    }

    @Test
    void loadTableAnswersWithMetadataLocationAndAnEtagThatA304Honours() throws Exception {
        JsonNode body;
        String etag;
        try (Response r = http.newCall(new Request.Builder()
                .url(catalogd.baseUrl() + "/iceberg/v1/namespaces/lakehouse/tables/sales").build()).execute()) {
            assertEquals(200, r.code());
            etag = r.header("ETag");
            body = Json.MAPPER.readTree(r.body().string());
        }
        assertNotNull(etag);
        assertTrue(body.get("metadata-location").asText().endsWith("datasets/sales/metadata/v3.metadata.json"),
                body.get("metadata-location").asText());
        assertEquals(2, body.get("metadata").get("format-version").asInt());
        try (Response r = http.newCall(new Request.Builder().header("If-None-Match", etag)
                .url(catalogd.baseUrl() + "/iceberg/v1/namespaces/lakehouse/tables/sales").build()).execute()) {
            assertEquals(304, r.code());
        }
        assertEquals(204, status("HEAD", "/iceberg/v1/namespaces/lakehouse/tables/sales"));
        assertEquals(404, status("HEAD", "/iceberg/v1/namespaces/lakehouse/tables/nope"));
        assertTrue(storage.exists("datasets/sales/metadata/v3.metadata.json"));
    }

    @Test
    void writeOperationsAndUnknownNamespacesAnswerInTheProtocolsErrorModel() throws Exception {
        try (Response r = http.newCall(new Request.Builder().url(catalogd.baseUrl() + "/iceberg/v1/namespaces/lakehouse/tables")
                .post(RequestBody.create("{\"name\":\"x\",\"schema\":{\"type\":\"struct\",\"fields\":[]}}",
                        MediaType.get("application/json"))).build()).execute()) {
            assertEquals(406, r.code());
            JsonNode e = Json.MAPPER.readTree(r.body().string()).get("error");
            assertEquals("UnsupportedOperationException", e.get("type").asText());
            assertEquals(406, e.get("code").asInt());
        }
        try (Response r = http.newCall(new Request.Builder().url(catalogd.baseUrl() + "/iceberg/v1/namespaces/other/tables")
                .build()).execute()) {
            assertEquals(404, r.code());
            assertEquals("NoSuchNamespaceException", Json.MAPPER.readTree(r.body().string()).get("error").get("type").asText());
        }
        assertEquals(204, status("POST", "/iceberg/v1/namespaces/lakehouse/tables/sales/metrics"));
    }

    @Test
    void aTableOfAnUnknownNamespaceIsNoSuchTableSoClientsReachMetadataTablesByName() throws Exception {
        try (Response r = http.newCall(new Request.Builder().url(catalogd.baseUrl() + "/iceberg/v1/namespaces/other/tables/sales")
                .build()).execute()) {
            assertEquals(404, r.code());
            assertEquals("NoSuchTableException", Json.MAPPER.readTree(r.body().string()).get("error").get("type").asText());
        }
        try (RESTCatalog cat = restCatalog()) {
            // the client first loads table "snapshots" of namespace lakehouse.sales, then sales's metadata table
            Table snapshots = cat.loadTable(TableIdentifier.of("lakehouse", "sales", "snapshots"));
            assertEquals(load(cat, "sales").currentSnapshot().snapshotId(), snapshots.currentSnapshot().snapshotId());
            assertTrue(snapshots.name().endsWith("sales.snapshots"), snapshots.name());
        }
    }

    @Test
    void aRestartGeneratesMissingMetadataAndLeavesCurrentMetadataAsItIs() throws Exception {
        try (RESTCatalog cat = restCatalog()) {
            load(cat, "typed"); // generated by now
        }
        ObjectInfo salesBefore = storage.head("datasets/sales/metadata/v3.metadata.json").orElseThrow();
        for (ObjectInfo o : storage.listAll("datasets/typed/metadata/")) {
            storage.delete(o.key());
        }
        FLEET.stop(Service.CATALOGD);
        startCatalogd();
        for (int i = 0; i < 200 && !storage.exists("datasets/typed/metadata/v1.metadata.json"); i++) {
            Thread.sleep(50);
        }
        assertTrue(storage.exists("datasets/typed/metadata/v1.metadata.json"), "migrated on start");
        assertEquals(salesBefore.etag(), storage.head("datasets/sales/metadata/v3.metadata.json").orElseThrow().etag(),
                "up-to-date metadata is read, not rewritten");
        try (RESTCatalog cat = restCatalog()) {
            assertEquals(1, rows(load(cat, "typed"), null).size());
        }
    }

    @Test
    void aNewVersionBecomesTheNextSnapshotAndADeleteRemovesTheMetadata() throws Exception {
        FileEntry one = parquet("datasets/growing/one.parquet", "SELECT range AS id, 'g' AS name FROM range(3)");
        client.register("growing", new RegisterRequest(V1_SCHEMA, List.of(one), null));
        FileEntry two = parquet("datasets/growing/two.parquet", "SELECT range AS id, 'g' AS name FROM range(3, 5)");
        client.register("growing", new RegisterRequest(V1_SCHEMA, List.of(one, two), null));
        try (RESTCatalog cat = restCatalog()) {
            Table t = load(cat, "growing");
            assertEquals(2L, t.currentSnapshot().snapshotId());
            assertEquals(5, rows(t, null).size());
            assertEquals(3, rows(t, 1L).size());
        }
        assertFalse(storage.listAll("datasets/growing/metadata/").isEmpty());
        client.delete("growing");
        for (int i = 0; i < 200 && !storage.listAll("datasets/growing/metadata/").isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertEquals(List.of(), storage.listAll("datasets/growing/metadata/"));
        try (RESTCatalog cat = restCatalog()) {
            assertFalse(cat.tableExists(TableIdentifier.of("lakehouse", "growing")));
        }
        assertNotEquals(0, storage.listAll("datasets/sales/metadata/").size());
    }

    static int status(String method, String path) {
        RequestBody body = method.equals("POST") ? RequestBody.create("{}", MediaType.get("application/json")) : null;
        try (Response r = http.newCall(new Request.Builder().url(catalogd.baseUrl() + path).method(method, body).build()).execute()) {
            return r.code();
        } catch (IOException e) {
            return -1;
        }
    }

    static FileEntry parquet(String key, String select) {
        return TestLake.put(storage, S3.tempDir(), key, select);
    }
}
