package dev.lakehouse.queryd;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections on the shared DuckDB, reused across queries. Each remembers the dataset views it has defined, so a
 * repeated query over an unchanged dataset neither opens a connection nor re-binds a view over the Parquet
 * files: {@link DatasetViews} re-defines a view only when the catalog's answer differs and drops every view the
 * current query does not read. A session that saw an error or a cancel is closed instead of reused: an
 * interrupt of DuckDB is per connection and must not reach the next query.
 */
final class DuckSessions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DuckSessions.class);

    /** One connection and the views on it: view name → the SELECT that defines it. */
    static final class Session {
        final DuckDBConnection conn;
        final Map<String, String> views = new HashMap<>();

        private Session(DuckDBConnection conn) {
            this.conn = conn;
        }
    }

    private final DuckEngine engine;
    private final int maxIdle;
    private final ArrayDeque<Session> idle = new ArrayDeque<>();
    private boolean closed;
    private long opened;

    DuckSessions(DuckEngine engine, int maxIdle) {
        this.engine = engine;
        this.maxIdle = maxIdle;
    }

    Session acquire() throws SQLException {
        synchronized (this) {
            Session s = idle.pollFirst(); // most recently used: its views are the likeliest to fit
            if (s != null) {
                return s;
            }
            opened++;
        }
        return new Session(engine.connect());
    }

    /** Returns a session to the pool, or closes it when it is not {@code reusable} or the pool is full. */
    void release(Session s, boolean reusable) {
        synchronized (this) {
            if (reusable && !closed && idle.size() < maxIdle) {
                idle.addFirst(s);
                return;
            }
        }
        closeQuietly(s);
    }

    synchronized Map<String, Long> stats() {
        return Map.of("idle", (long) idle.size(), "opened", opened);
    }

    @Override
    public void close() {
        ArrayDeque<Session> all;
        synchronized (this) {
            closed = true;
            all = new ArrayDeque<>(idle);
            idle.clear();
        }
        all.forEach(DuckSessions::closeQuietly);
    }

    private static void closeQuietly(Session s) {
        try {
            s.conn.close();
        } catch (SQLException e) {
            log.warn("closing a DuckDB session: {}", e.getMessage());
        }
    }
}
