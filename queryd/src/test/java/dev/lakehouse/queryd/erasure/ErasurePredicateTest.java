package dev.lakehouse.queryd.erasure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.queryd.DuckParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An erasure predicate is user SQL: admitted by queryd's guard as one expression over its own dataset, or refused. */
class ErasurePredicateTest {
    @RegisterExtension
    static final DuckParser PARSER = new DuckParser();

    static String refusal(String predicate) {
        return assertThrows(ApiException.class, () -> ErasurePredicate.admit(PARSER.get(), "candidates", predicate),
                predicate).code();
    }

    @Test
    void aPredicateOverTheDatasetsColumnsBecomesTheCountAndTheKeepStatement() {
        ErasurePredicate p = ErasurePredicate.admit(PARSER.get(), "candidates", "candidate_id = 'c-2' OR name ILIKE '%x%'");
        assertEquals("SELECT count(*) FROM \"candidates\" WHERE coalesce((candidate_id = 'c-2' OR name ILIKE '%x%'), false)",
                p.count());
        assertEquals("SELECT * FROM \"candidates\" WHERE NOT coalesce((candidate_id = 'c-2' OR name ILIKE '%x%'), false)",
                p.keep());
    }

    @Test
    void aSubqueryOverTheSameDatasetIsAdmitted() {
        ErasurePredicate.admit(PARSER.get(), "candidates", "rate > (SELECT avg(rate) FROM candidates)");
    }

    @Test
    void aPredicateReadingAnotherDatasetIsRefused() {
        assertEquals("erasure_predicate", refusal("candidate_id IN (SELECT id FROM payroll)"));
    }

    @Test
    void aPredicateReachingForAFileOrASettingIsRefusedByTheSandbox() {
        assertEquals("sql_sandbox", refusal("candidate_id IN (SELECT * FROM read_csv('/etc/passwd'))"));
        assertEquals("sql_sandbox", refusal("current_setting('temp_directory') = 'x'"));
    }

    @Test
    void aPredicateThatClosesTheParenthesesToAddAStatementIsRefused() {
        assertEquals("erasure_predicate", refusal("true), false) UNION ALL SELECT * FROM candidates WHERE (coalesce((true"));
    }

    @Test
    void commentsSemicolonsAndEmptyPredicatesAreRefused() {
        assertEquals("erasure_predicate", refusal("true; DROP TABLE candidates"));
        assertEquals("erasure_predicate", refusal("true --"));
        assertEquals("erasure_predicate", refusal("true /* x */"));
        assertEquals("erasure_predicate", refusal(" "));
        assertEquals("erasure_predicate", refusal("candidate_id = "));
    }
}
