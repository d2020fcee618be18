package dev.lakehouse.queryd;

import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.Forbidden;
import dev.lakehouse.common.error.GatewayTimeout;
import dev.lakehouse.common.error.ServiceUnavailable;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one admitted statement: a connection of its own on the shared DuckDB, dataset views over pinned
 * cache files, a statement timeout that cancels the statement, and a cap on concurrent queries (503 beyond it,
 * rather than a queue that hides overload). The result is handed out open ({@link Running}); the caller
 * streams it and closes it, which releases connection, pins and the concurrency slot.
 */
public final class QueryRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueryRunner.class);

    private final DuckEngine engine;
    private final DatasetViews views;
    private final Duration timeout;
    private final Semaphore slots;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "queryd-timeout");
        t.setDaemon(true);
        return t;
    });

    public QueryRunner(DuckEngine engine, DatasetViews views, Duration timeout, int maxConcurrent) {
        this.engine = engine;
        this.views = views;
        this.timeout = timeout;
        this.slots = new Semaphore(maxConcurrent);
    }

    /**
     * Validates, resolves and executes; returns with the result open, or throws a typed 4xx/5xx.
     * {@code onlyVersion} is {@code ?version=N}.
     */
    public Running start(String sql, Map<String, Integer> versions, Integer onlyVersion, long limit) {
        if (!slots.tryAcquire()) {
            throw new ServiceUnavailable("too many queries in flight; retry shortly", 1);
        }
        long started = System.nanoTime();
        Running r = new Running(started);
        try {
            r.conn = engine.connect();
            SqlGuard.Checked checked = SqlGuard.check(r.conn, sql);
            r.guardNanos = System.nanoTime();
            r.resolved = views.define(r.conn, checked.tables(), versions, onlyVersion);
            r.viewsNanos = System.nanoTime();
            r.stmt = r.conn.createStatement();
            Statement stmt = r.stmt;
            r.cancel = timer.schedule(() -> {
                r.timedOut.set(true);
                try {
                    stmt.cancel();
                } catch (SQLException e) {
                    log.debug("cancel: {}", e.getMessage());
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            r.rs = (DuckDBResultSet) stmt.executeQuery(bounded(r.conn, checked, limit));
            return r;
        } catch (SQLException e) {
            r.close();
            throw r.translate(e);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /**
     * The statement under {@code LIMIT limit+1} (one more row tells the writer the answer was cut), so DuckDB
     * never materializes more than the caller may read. DuckDB keeps a subquery's ORDER BY under an outer LIMIT.
     * EXPLAIN is left as is; so is the odd statement the wrapper would not parse (e.g. {@code SELECT 1; -- x}).
     */
    static String bounded(java.sql.Connection conn, SqlGuard.Checked checked, long limit) {
        if (checked.explain()) {
            return checked.sql();
        }
        String body = checked.sql().strip();
        while (body.endsWith(";")) {
            body = body.substring(0, body.length() - 1).strip();
        }
        String wrapped = "SELECT * FROM (\n" + body + "\n) AS q LIMIT " + (limit + 1);
        try {
            SqlGuard.check(conn, wrapped);
            return wrapped;
        } catch (ApiException e) {
            return checked.sql();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** An executing statement; close it exactly once. */
    public final class Running implements AutoCloseable {
        private final long startedNanos;
        private final AtomicBoolean timedOut = new AtomicBoolean();
        private long guardNanos;
        private long viewsNanos;
        private DuckDBConnection conn;
        private Statement stmt;
        private DuckDBResultSet rs;
        private DatasetViews.Resolved resolved;
        private ScheduledFuture<?> cancel;
        private boolean closed;

        private Running(long startedNanos) {
            this.startedNanos = startedNanos;
        }

        public DuckDBResultSet resultSet() {
            return rs;
        }

        /** Dataset → manifest version the answer was computed from. */
        public Map<String, Integer> versions() {
            return resolved == null ? Map.of() : resolved.versions();
        }

        public long elapsedMillis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        }

        /** A DuckDB error as the typed error a client can act on. */
        public ApiException translate(SQLException e) {
            String msg = firstLine(e.getMessage());
            if (timedOut.get() || msg.startsWith("INTERRUPT")) {
                return new GatewayTimeout("statement exceeded the timeout of " + timeout.toMillis() + " ms and was cancelled",
                        Map.of("timeout_ms", timeout.toMillis()));
            }
            if (msg.startsWith("Permission Error")) {
                return new Forbidden("SQL may only read the registered datasets: " + msg);
            }
            if (msg.startsWith("Out of Memory Error")) {
                return new ServiceUnavailable("query ran out of memory: " + msg, 1);
            }
            if (msg.startsWith("IO Error") || msg.startsWith("INTERNAL") || msg.startsWith("FATAL")) {
                return new ApiException(500, "query failed in the engine: " + msg);
            }
            return new BadRequest(e.getMessage() == null ? msg : e.getMessage().strip());
        }

        /** Where the time went: parse+gate, catalog+cache+views, then execution and writing. */
        public String timing() {
            long end = System.nanoTime();
            return String.format(java.util.Locale.ROOT, "guard %.1f ms, views %.1f ms (catalog %.1f ms), run+write %.1f ms",
                    (guardNanos - startedNanos) / 1e6, (viewsNanos - guardNanos) / 1e6,
                    resolved == null ? 0.0 : resolved.catalogNanos() / 1e6, (end - viewsNanos) / 1e6);
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (cancel != null) {
                cancel.cancel(false);
            }
            try {
                if (rs != null) {
                    rs.close();
                }
                if (stmt != null) {
                    stmt.close();
                }
            } catch (SQLException e) {
                log.debug("closing statement: {}", e.getMessage());
            }
            if (conn != null) {
                try {
                    conn.close();
                } catch (SQLException e) {
                    log.warn("closing connection: {}", e.getMessage());
                }
            }
            if (resolved != null) {
                resolved.close();
            }
            slots.release();
        }
    }

    static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").trim();
    }
}
