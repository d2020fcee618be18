package dev.lakehouse.consoletest;

import static dev.lakehouse.consoletest.ErasureScenario.bytes;
import static dev.lakehouse.consoletest.ErasureScenario.ok;
import static dev.lakehouse.consoletest.ErasureScenario.requestByFilter;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 25's proof ({@link ErasureScenario}): after one candidate is erased no version's SQL finds them and every
 * other row is unchanged, no object in S3 (nor any file queryd, ingestd or vectord keeps locally) holds their name —
 * Parquet read decompressed — vector search by id and by text no longer finds them, and the audit log has one entry.
 */
class ErasureProofTest {
    @RegisterExtension
    static final ErasureScenario SCENARIO = new ErasureScenario(Set.of());

    @Test
    void erasingACandidateRemovesThemFromEveryVersionEveryObjectAndTheVectorIndexWithOneAuditEntry() throws Exception {
        SCENARIO.ingestAndIndex();
        ErasureScenario.Others othersBefore = SCENARIO.othersPerVersion();

        // the index's items by a metadata filter (ErasureResumeTest names them by id)
        JsonNode dry = ok(SCENARIO.call("POST", "/v1/erasure", "application/json", bytes(requestByFilter(true)), null), 200);
        assertEquals(List.of(1, 2, 1), List.of(dry.at("/datasets/candidates/versions/0/matching_rows").asInt(),
                dry.at("/datasets/candidates/versions/1/matching_rows").asInt(),
                dry.at("/datasets/candidates/versions/2/matching_rows").asInt()), dry.toString());
        assertEquals(3, dry.at("/datasets/candidates/files").size(), "three files hold the candidate");
        assertEquals("[\"c-2\"]", dry.at("/vectors/cvs/items").toString(), "the filter matches the candidate's item only");
        assertEquals(2, SCENARIO.sql(2, "SELECT count(*) FROM candidates WHERE candidate_id = 'c-2'").at("/rows/0/0").asInt(),
                "a dry run changes nothing");

        JsonNode started = ok(SCENARIO.call("POST", "/v1/erasure", "application/json", bytes(requestByFilter(false)), null), 202);
        String id = started.path("erasure_id").asText();
        JsonNode done = SCENARIO.awaitComplete(id);
        assertEquals(3, done.at("/datasets/candidates/versions_rewritten").asInt(), done.toString());
        assertEquals(1, done.at("/vectors/cvs/ids_requested").asInt(), done.toString());
        SCENARIO.assertErased(id, othersBefore);
    }

    @Test
    void anErasureThatFailsAtAStepDeletesTheFilesItRewroteForTheDatasetItDidNotFinish() throws Exception {
        // v1 and v3 have an email column, v2 not: the predicate binds at the start check (on v3) and on v1's file,
        // which is rewritten, then fails on v2's (400) — after a rewrite no version will ever point at
        SCENARIO.ingest("drift", "append", "id,email\nd-1,a@example.org\nd-2,z@example.org\n");
        SCENARIO.ingest("drift", "replace", "id,rate\nd-3,7\n");
        SCENARIO.ingest("drift", "replace", "id,email\nd-4,b@example.org\n");
        String body = "{\"subject\":\"DSR-2026-002\",\"datasets\":{\"drift\":\"email = 'z@example.org'\"}}";

        String id = ok(SCENARIO.call("POST", "/v1/erasure", "application/json", bytes(body), null), 202).path("erasure_id").asText();
        JsonNode failed = SCENARIO.awaitStatus(id, s -> !s.path("state").asText().equals("in_progress"), "failed");
        assertEquals(false, failed.at("/datasets/drift/done").asBoolean(), failed.toString());
        assertEquals(List.of(), SCENARIO.keys("datasets/drift/erased-"), "no rewritten file is left behind");
        assertEquals(0, failed.at("/datasets/drift/files_rewritten").asInt(), failed.toString());
        assertEquals(1, SCENARIO.sql(1, "SELECT count(*) FROM drift WHERE email = 'z@example.org'")
                .at("/rows/0/0").asInt(), "version 1 is as it was: what failed changed nothing");
    }
}
