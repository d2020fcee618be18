package dev.lakehouse.common.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.SecretsFile;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.BadGateway;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.GatewayTimeout;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.error.UnknownOutcome;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.common.model.RegisterRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed clients against a peer that is newer, misrouted or silent. */
class TypedClientsTest {
    static final String NEWER_MANIFEST = "{\"dataset\":\"people\",\"version\":3,\"schema\":[{\"name\":\"id\",\"type\":\"BIGINT\","
            + "\"comment\":\"added by a newer catalogd\"}],\"files\":[],\"rows\":0,\"created_at\":\"2026-01-01T00:00:00Z\","
            + "\"content_hash\":\"h\",\"dialect\":{\"delimiter\":\"\\t\"},\"added_later\":[1,2]}";

    static final FleetCredential CREDENTIAL = FleetCredential.generate();
    @TempDir
    static Path dir;
    private final CountDownLatch release = new CountDownLatch(1);
    private ServiceApp app;

    ServiceApp peer() {
        Path secrets = dir.resolve("secrets.toml");
        SecretsFile.write(secrets, CREDENTIAL.toToml());
        app = ServiceApp.builder(Service.CATALOGD, Config.of(Map.of("http.shutdown_hook", "false", "secrets_file", secrets.toString())))
                .port(0)
                .routes(r -> {
                    r.get("/datasets/people", ctx -> ctx.contentType("application/json").result(NEWER_MANIFEST));
                    r.get("/datasets/gone", ctx -> {
                        throw new NotFound("dataset 'gone' not found", Map.of("code", ErrorCodes.DATASET_NOT_FOUND));
                    });
                    r.post("/datasets/slow/manifests", ctx -> release.await());
                    r.get("/datasets/slow", ctx -> release.await());
                })
                .start();
        return app;
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (app != null) {
            app.close();
        }
    }

    @Test
    void anOlderClientReadsANewerPeersResponseWithAddedFields() {
        Manifest m = new CatalogClient(peer().baseUrl(), CREDENTIAL).latest("people").orElseThrow();
        assertEquals(3, m.version());
        assertEquals("id", m.schema().get(0).name());
    }

    @Test
    void onlyCatalogdsOwnDatasetNotFoundMeansAbsent() {
        CatalogClient right = new CatalogClient(peer().baseUrl(), CREDENTIAL);
        assertTrue(right.latest("gone").isEmpty());
        // A route this peer does not have: a 404, but not "the dataset does not exist".
        CatalogClient misrouted = new CatalogClient(app.baseUrl() + "/not-catalogd", CREDENTIAL);
        BadGateway e = assertThrows(BadGateway.class, () -> misrouted.latest("gone"));
        assertTrue(e.getMessage().contains("catalogd.url"), e.getMessage());
    }

    @Test
    void aWriteWhoseAnswerNeverComesIsAnUnknownOutcomeAndAReadIsATimeout() {
        OkHttpClient quick = HttpClients.shared().newBuilder().readTimeout(Duration.ofMillis(300)).build();
        CatalogClient c = new CatalogClient(peer().baseUrl(), quick, CREDENTIAL);
        ApiException write = assertThrows(ApiException.class,
                () -> c.register("slow", new RegisterRequest(List.of(), List.of(), null)));
        assertInstanceOf(UnknownOutcome.class, write);
        assertEquals(ErrorCodes.UNKNOWN_OUTCOME, write.code());
        ApiException read = assertThrows(ApiException.class, () -> c.latest("slow"));
        assertEquals(GatewayTimeout.class, read.getClass());
    }
}
