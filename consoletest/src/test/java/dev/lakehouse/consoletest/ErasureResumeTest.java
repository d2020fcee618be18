package dev.lakehouse.consoletest;

import static dev.lakehouse.consoletest.ErasureScenario.bytes;
import static dev.lakehouse.consoletest.ErasureScenario.ok;
import static dev.lakehouse.consoletest.ErasureScenario.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.testkit.S3Extension;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The erasure of {@link ErasureProofTest} with kill -9 of vectord and then catalogd (each in a JVM of its own) in the
 * middle of it: the half-done erasure is visible as in_progress with every version's files present, and once both
 * are back it resumes on its own and ends exactly as an uninterrupted one, with one audit entry.
 */
class ErasureResumeTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();

    static ErasureScenario scenario;
    static InProcessFleet fleet;

    @BeforeAll
    static void start() throws Exception {
        scenario = ErasureScenario.start(S3, Set.of(Service.CATALOGD, Service.VECTORD));
        fleet = scenario.fleet;
    }

    @AfterAll
    static void stop() {
        if (scenario != null) {
            scenario.close();
        }
    }

    @Test
    void anErasureCutShortByKillMinus9OfVectordAndCatalogdResumesUntilCompleteAndNeverPointsAtADeletedFile()
            throws Exception {
        scenario.ingestAndIndex();
        ErasureScenario.Others othersBefore = scenario.othersPerVersion();

        String id = ok(fleet.call("POST", "/v1/erasure", "application/json", bytes(request(false)), null), 202)
                .path("erasure_id").asText();
        fleet.kill(Service.VECTORD); // the datasets' part runs on; the index's step cannot
        JsonNode half = scenario.awaitStatus(id, s -> s.at("/datasets/candidates/done").asBoolean(), "in_progress");
        assertEquals(false, half.at("/vectors/cvs/done").asBoolean(), half.toString());
        scenario.assertEveryVersionsFilesExist();
        for (int v = 1; v <= 3; v++) {
            assertEquals(0, scenario.sql(v, "SELECT count(*) FROM candidates WHERE candidate_id = 'c-2'").at("/rows/0/0").asInt());
        }

        fleet.kill(Service.CATALOGD); // mid-erasure: its intent says in_progress, the index not done
        fleet.restart(Service.VECTORD);
        fleet.restart(Service.CATALOGD);
        scenario.awaitComplete(id);
        scenario.awaitAnswers("/v1/vectors/index");
        scenario.assertErased(id, othersBefore);
    }
}
