package dev.lakehouse.queryd.admission;

import dev.lakehouse.queryd.engine.Lru;
import java.sql.Connection;
import java.util.Map;

/**
 * The guard's verdicts, remembered per distinct statement text. Admission depends on the text alone (DuckDB's
 * parser; no catalog, no data, no settings), so a dashboard that repeats its statements pays the two parses of
 * {@link SqlGuard#admit} once: ~1 ms of the fixed cost per query (measured). Refusals are not remembered, and
 * only statements up to {@link #MAX_CACHED_CHARS} are, so the cache stays small whatever clients send.
 */
public final class AdmittedStatements {
    static final int MAX_CACHED_CHARS = 16 * 1024;

    private final Map<String, SqlGuard.Admitted> lru;
    private long hits;
    private long misses;

    public AdmittedStatements(int capacity) {
        this.lru = Lru.map(capacity);
    }

    /** The admitted statement, parsed with {@code parser} unless the same text was admitted before. */
    public SqlGuard.Admitted admit(Connection parser, String sql) {
        boolean cacheable = sql != null && sql.length() <= MAX_CACHED_CHARS;
        if (cacheable) {
            synchronized (this) {
                SqlGuard.Admitted known = lru.get(sql);
                if (known != null) {
                    hits++;
                    return known;
                }
                misses++;
            }
        }
        SqlGuard.Admitted admitted = SqlGuard.admit(parser, sql); // outside the lock: parsing takes a while
        if (cacheable) {
            synchronized (this) {
                lru.put(sql, admitted);
            }
        }
        return admitted;
    }

    public synchronized Map<String, Long> stats() {
        return Map.of("entries", (long) lru.size(), "hits", hits, "misses", misses);
    }
}
