package dev.lakehouse.catalogd;

import static dev.lakehouse.common.config.Service.CATALOGD;
import static dev.lakehouse.common.config.Service.STORAGED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.RegisterRequest;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.Http;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * catalogd's refusals carry their stable codes on the wire (issue 26: a client switches on the code, so each one
 * is pinned here by its text, not by the constant that could change with it).
 */
class CatalogdErrorCodesTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start)
            .with(CATALOGD, CatalogdMain::start, Map.of("catalogd.rehydrate_retry", "100ms"));

    static final List<ColumnSpec> SCHEMA = List.of(new ColumnSpec("id", "BIGINT"));
    static FileEntry second;

    @BeforeAll
    static void oneVersion() {
        FileEntry first = TestLake.put(FLEET.storage(), S3.tempDir(), "datasets/coded/a.parquet", "SELECT range AS id FROM range(3)");
        second = TestLake.put(FLEET.storage(), S3.tempDir(), "datasets/coded/b.parquet", "SELECT range AS id FROM range(4)");
        FLEET.catalog().register("coded", new RegisterRequest(SCHEMA, List.of(first), null));
    }

    static void assertRefused(int status, String code, Http.Reply r) {
        assertEquals(status, r.status(), String.valueOf(r.body()));
        assertEquals(code, r.body().path("code").asText(), r.body().toString());
        assertEquals(status, r.body().path("status").asInt(), r.body().toString());
    }

    @Test
    void aDatasetTheCatalogDoesNotListIsDatasetNotFound() {
        assertRefused(404, "dataset_not_found", FLEET.call(CATALOGD, "GET", "/datasets/nowhere", null));
    }

    @Test
    void aVersionTheDatasetDoesNotHaveIsVersionNotFound() {
        assertRefused(404, "version_not_found", FLEET.call(CATALOGD, "GET", "/datasets/coded/versions/7", null));
    }

    @Test
    void aRegistrationExpectingAnotherLatestVersionIsVersionConflict() {
        assertRefused(409, "version_conflict", FLEET.call(CATALOGD, "POST", "/datasets/coded/manifests",
                new RegisterRequest(SCHEMA, List.of(second), 5)));
    }

    @Test
    void anErasureNobodyStartedIsErasureNotFound() {
        assertRefused(404, "erasure_not_found", FLEET.call(CATALOGD, "GET", "/erasure/e-0000000000000000", null));
    }

    @Test
    void aCatalogThatCannotReachStoragedYetIsNotReady() {
        // started by hand: the fleet's start waits for a healthy catalogd, and this one never loads
        try (ServiceApp blind = CatalogdMain.start(FLEET.config(CATALOGD, Map.of("catalogd.port", "0",
                "storaged.url", TestFleet.NOWHERE, "catalogd.rehydrate_retry", "100ms")))) {
            assertRefused(503, ErrorCodes.NOT_READY, Http.call(blind.baseUrl(), "GET", "/datasets/coded", null));
        }
    }

    @Test
    void anOlderManifestOverwrittenWithGarbageInS3IsCorruptManifest() throws Exception {
        FileEntry one = TestLake.put(FLEET.storage(), S3.tempDir(), "datasets/rotted/a.parquet", "SELECT range AS id FROM range(1)");
        FileEntry two = TestLake.put(FLEET.storage(), S3.tempDir(), "datasets/rotted/b.parquet", "SELECT range AS id FROM range(2)");
        FLEET.catalog().register("rotted", new RegisterRequest(SCHEMA, List.of(one), null));
        FLEET.catalog().register("rotted", new RegisterRequest(SCHEMA, List.of(two), null));
        // version 1 rots in S3, around storaged; a fresh catalogd loads only the latest, so it reads 1 when asked
        S3.client().putObject(b -> b.bucket(S3.bucket()).key(StorageLayout.CATALOG_PREFIX + "rotted/1.json"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("{not a manifest"));
        try (ServiceApp fresh = FLEET.another(CATALOGD, CatalogdMain::start, Map.of("catalogd.rehydrate_retry", "100ms"))) {
            Http.Reply latest = Http.call(fresh.baseUrl(), "GET", "/datasets/rotted", null);
            for (int i = 0; i < 100 && latest.status() == 503; i++) {
                Thread.sleep(100);
                latest = Http.call(fresh.baseUrl(), "GET", "/datasets/rotted", null);
            }
            assertEquals(200, latest.status(), String.valueOf(latest.body()));
            assertRefused(502, ErrorCodes.CORRUPT_MANIFEST, Http.call(fresh.baseUrl(), "GET", "/datasets/rotted/versions/1", null));
        }
    }
}
