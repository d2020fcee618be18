package dev.lakehouse.queryd.erasure;

import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.queryd.admission.SqlGuard;
import dev.lakehouse.queryd.engine.DuckEngine;
import java.sql.Connection;
import java.util.Map;
import java.util.Set;

/**
 * A user's erasure predicate made into the two statements that use it, each admitted by {@link SqlGuard} as a
 * user's SELECT would be: the matching rows' count and the rows to keep. The predicate is never spliced into any
 * other SQL; the rewrite wraps the admitted keep-statement whole ({@code COPY (<it>) TO ...}), which is safe because
 * an admitted statement without comments has balanced parentheses outside its string literals.
 */
record ErasurePredicate(String count, String keep) {
    static final int MAX_CHARS = 64 * 1024;

    static ErasurePredicate admit(Connection parser, String dataset, String predicate) {
        if (predicate == null || predicate.isBlank()) {
            throw refused(dataset, "the predicate is empty");
        }
        if (predicate.length() > MAX_CHARS) {
            throw refused(dataset, "the predicate is longer than " + MAX_CHARS + " characters");
        }
        // nothing may hide where the predicate ends
        if (predicate.contains(";") || predicate.contains("--") || predicate.contains("/*")) {
            throw refused(dataset, "the predicate may not contain ';', '--' or '/*'");
        }
        String table = DuckEngine.ident(dataset);
        String count = "SELECT count(*) FROM " + table + " WHERE coalesce((" + predicate + "), false)";
        String keep = "SELECT * FROM " + table + " WHERE NOT coalesce((" + predicate + "), false)";
        for (String sql : new String[] {count, keep}) {
            SqlGuard.Checked c;
            try {
                c = SqlGuard.check(parser, sql);
            } catch (BadRequest e) {
                throw refused(dataset, e.getMessage());
            }
            if (c.explain() || !c.ctes().isEmpty() || !c.tables().equals(Set.of(dataset))) {
                throw refused(dataset, "the predicate must be one boolean expression over the dataset's own columns"
                        + " (it reads " + c.tables() + ")");
            }
        }
        return new ErasurePredicate(count, keep);
    }

    private static BadRequest refused(String dataset, String why) {
        return new BadRequest("erasure predicate for dataset '" + dataset + "' refused: " + why,
                Map.of("code", ErrorCodes.ERASURE_PREDICATE, "dataset", dataset));
    }
}
