package dev.lakehouse.catalogd;

import static dev.lakehouse.common.config.Service.CATALOGD;
import static dev.lakehouse.common.config.Service.STORAGED;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
