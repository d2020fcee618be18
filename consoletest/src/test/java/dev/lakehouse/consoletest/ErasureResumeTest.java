package dev.lakehouse.consoletest;

import static dev.lakehouse.consoletest.ErasureScenario.bytes;
import static dev.lakehouse.consoletest.ErasureScenario.ok;
import static dev.lakehouse.consoletest.ErasureScenario.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.config.Service;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The erasure of {@link ErasureProofTest} with kill -9 of vectord and then catalogd (each in a JVM of its own) in the
 * middle of it: the half-done erasure is visible as in_progress with every version's files present, and once both
 * are back it resumes on its own and ends exactly as an uninterrupted one, with one audit entry.
 */
class ErasureResumeTest {
    @RegisterExtension
    static final ErasureScenario SCENARIO = new ErasureScenario(Set.of(Service.CATALOGD, Service.VECTORD));

    @Test
    void anErasureCutShortByKillMinus9OfVectordAndCatalogdResumesUntilCompleteAndNeverPointsAtADeletedFile()
            throws Exception {
        SCENARIO.ingestAndIndex();
        ErasureScenario.Others othersBefore = SCENARIO.othersPerVersion();

        String id = ok(SCENARIO.call("POST", "/v1/erasure", "application/json", bytes(request(false)), null), 202)
                .path("erasure_id").asText();
        SCENARIO.kill(Service.VECTORD); // the datasets' part runs on; the index's step cannot
        JsonNode half = SCENARIO.awaitStatus(id, s -> s.at("/datasets/candidates/done").asBoolean(), "in_progress");
        assertEquals(false, half.at("/vectors/cvs/done").asBoolean(), half.toString());
        SCENARIO.assertEveryVersionsFilesExist();
        for (int v = 1; v <= 3; v++) {
            assertEquals(0, SCENARIO.sql(v, "SELECT count(*) FROM candidates WHERE candidate_id = 'c-2'").at("/rows/0/0").asInt());
        }

        SCENARIO.kill(Service.CATALOGD); // mid-erasure: its intent says in_progress, the index not done
        SCENARIO.restart(Service.VECTORD);
        SCENARIO.restart(Service.CATALOGD);
        SCENARIO.awaitComplete(id);
        SCENARIO.awaitAnswers("/v1/vectors/index");
        SCENARIO.assertErased(id, othersBefore);
    }
}
