package dev.lakehouse.queryd.exec;

import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.Forbidden;
import dev.lakehouse.common.error.GatewayTimeout;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.queryd.admission.Admission;
import dev.lakehouse.queryd.admission.AdmittedStatements;
import dev.lakehouse.queryd.admission.SqlGuard;
import dev.lakehouse.queryd.vectors.VectorSearch;
import dev.lakehouse.queryd.engine.DuckEngine;
import dev.lakehouse.queryd.engine.DuckSessions;
import dev.lakehouse.queryd.result.Column;
import dev.lakehouse.queryd.result.Rendering;
import dev.lakehouse.queryd.result.ResultFormat;
import dev.lakehouse.queryd.result.ResultSource;
import dev.lakehouse.queryd.views.DatasetViews;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.duckdb.DuckDBResultSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path of a query, top-down ({@link #start}): a slot from {@link Admission} (or a place in its queue), a pooled
 * session on the engine for the answer's kind (JSON pages on the materializing DuckDB, exports on the streaming
 * one), the statement admitted by {@link SqlGuard} and bounded to what will be sent, dataset views over pinned
 * cache files ({@link DatasetViews}: only what the catalog confirms is served), rendering for the text formats
 * ({@link Rendering}), and the run under the statement timeout. The result is handed out open ({@link Running});
 * the caller streams it and closes it, which releases session, pins and slot.
 */
public final class QueryRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueryRunner.class);

    private final DuckSessions pages;
    private final DuckSessions exports;
    private final AdmittedStatements admitted;
    private final DatasetViews views;
    private final Duration timeout;
    private final Duration exportTimeout;
    private final Admission admission;
    private final VectorSearch vectorSearch;
    private final LongAdder askedFirst = new LongAdder();
    private final LongAdder guessesConfirmed = new LongAdder();
    private final LongAdder guessesStale = new LongAdder();

    /**
     * What to run and what to send: JSON sends rows {@code offset+1 .. offset+pageSize} (and reads one more, to
     * know whether a page follows); CSV and Arrow send the whole result, or its first {@code limit} rows.
     */
    public record Request(String sql, ResultFormat format, Map<String, Integer> versions, Integer onlyVersion,
            long offset, long pageSize, Long limit) {}

    /**
     * @param pagesEngine   materializing DuckDB, for JSON pages
     * @param exportsEngine streaming DuckDB, for CSV and Arrow exports
     * @param statementCache how many distinct admitted statements are remembered ({@link AdmittedStatements})
     * @param exportTimeout bounds a whole streamed export (the statement timeout bounds its run to the first row)
     * @param vectorSearch  answers {@code vector_search()} calls before the guard sees the statement
     */
    public QueryRunner(DuckEngine pagesEngine, DuckEngine exportsEngine, DatasetViews views, Duration timeout,
            Duration exportTimeout, Admission admission, int maxIdleSessions, int statementCache,
            VectorSearch vectorSearch) {
        this.pages = new DuckSessions(pagesEngine, maxIdleSessions);
        this.exports = new DuckSessions(exportsEngine, maxIdleSessions);
        this.admitted = new AdmittedStatements(statementCache);
        this.views = views;
        this.timeout = timeout;
        this.exportTimeout = exportTimeout;
        this.admission = admission;
        this.vectorSearch = vectorSearch;
    }

    /**
     * Validates, resolves and executes; returns with the result open, or throws a typed 4xx/5xx.
     *
     * <p>The catalog is asked on every query. When queryd has asked it about every dataset of the query before,
     * the query runs on those manifests (on the session's thread) while this thread asks the catalog again, and
     * the answer is handed out only if the catalog's new answer is the same (else it is dropped and the query runs
     * again on the new one). So the catalog round trip is hidden behind the engine's work, and nothing stale is
     * ever served.
     */
    public Running start(Request req) {
        admission.acquire();
        long started = System.nanoTime();
        Running r = new Running(started, started + timeout.toNanos(), req.format());
        try {
            r.sessions = req.format() == ResultFormat.JSON ? pages : exports;
            r.session = r.sessions.acquire();
            SqlGuard.Admitted statement = admitted.admit(r.session.conn, vectorSearch.rewrite(r.session.conn, req.sql()));
            Set<String> tables = statement.checked().tables();
            r.required = statement.checked().datasetNames();
            String bounded = req.format() == ResultFormat.JSON ? statement.page(req.offset(), req.pageSize())
                    : req.limit() != null ? statement.limited(req.limit()) : statement.whole();
            r.reusePlan = statement.wrappable(); // a wrapped SELECT; EXPLAIN and the odd rest are not kept
            r.pageable = statement.wrappable();
            r.guardNanos = System.nanoTime();
            boolean discovery = statement.checked().discovery();
            Optional<Map<String, Optional<Manifest>>> guess = req.versions().isEmpty() && req.onlyVersion() == null
                    && !discovery ? views.remembered(tables) : Optional.empty();
            if (guess.isPresent()) {
                runOnGuess(r, tables, guess.get(), bounded);
            } else {
                r.plan = discovery ? "discovery: every dataset's schema, catalog asked first" : "catalog asked first";
                askedFirst.increment();
                DatasetViews.Resolved resolved = views.define(r.session, tables, req.versions(), req.onlyVersion());
                if (discovery) {
                    try {
                        views.defineSchemas(r.session, tables);
                    } catch (RuntimeException e) {
                        resolved.close(); // its pins: not handed to the run yet
                        throw e;
                    }
                }
                r.runOn(resolved, bounded);
            }
            r.exportDeadlineNanos = System.nanoTime() + exportTimeout.toNanos();
            return r;
        } catch (SQLException e) {
            ApiException translated = r.translate(e);
            r.close();
            throw translated;
        } catch (RuntimeException e) {
            r.discardSession();
            r.close();
            throw e;
        }
    }

    /** Runs on the remembered manifests while the catalog is asked; reruns on its answer if that differs. */
    private void runOnGuess(Running r, Set<String> tables, Map<String, Optional<Manifest>> guess, String sql)
            throws SQLException {
        Exception failed = null;
        try {
            r.startOn(views.bind(r.session, guess), sql);
        } catch (SQLException | RuntimeException e) {
            failed = e;
        }
        long askFrom = System.nanoTime();
        Map<String, Optional<Manifest>> current;
        try {
            // here, while the engine works on the session's thread; if this throws (catalogd unreachable: 502),
            // start() discards the session and close() waits for the engine to let go of the connection first
            current = views.latest(tables);
        } finally {
            r.catalogNanos = System.nanoTime() - askFrom;
        }
        if (failed == null) {
            try {
                r.finish();
            } catch (SQLException | RuntimeException e) {
                failed = e;
            }
        }
        if (current.equals(guess)) {
            r.plan = "ran on remembered manifests, catalog confirmed";
            guessesConfirmed.increment();
            rethrow(failed);
            return;
        }
        if (r.timedOut.get()) {
            r.resetAttempt();
            throw Running.timedOutBetweenAttempts();
        }
        // the catalog has moved on: nothing computed from the guess leaves this method
        if (failed != null) {
            r.discardSession();
        }
        r.resetAttempt();
        r.plan = "remembered manifests were stale, ran again on the catalog's answer";
        guessesStale.increment();
        r.runOn(views.bind(r.session, current), sql);
    }

    private static void rethrow(Exception e) throws SQLException {
        if (e instanceof SQLException se) {
            throw se;
        }
        if (e instanceof RuntimeException re) {
            throw re;
        }
    }

    public Map<String, Object> stats() {
        return Map.of("admission", admission.stats(), "sessions", Map.of("pages", pages.stats(), "exports", exports.stats()), "statements", admitted.stats(), "catalog_checks", Map.of(
                "asked_first", askedFirst.sum(), "beside_run_confirmed", guessesConfirmed.sum(),
                "beside_run_stale", guessesStale.sum()));
    }

    @Override
    public void close() {
        pages.close();
        exports.close();
    }

    /** An executing statement; close it exactly once. */
    public final class Running implements AutoCloseable, ResultSource {
        private final long startedNanos;
        /** The statement timeout's deadline ({@link System#nanoTime}), counted from the request's start. */
        private final long deadlineNanos;
        /** Bounds a streamed export as a whole, counted from its first row. */
        private long exportDeadlineNanos = Long.MAX_VALUE;
        private final ResultFormat format;
        private final AtomicBoolean timedOut = new AtomicBoolean();
        private long guardNanos;
        private long viewsNanos;
        /** The catalog lookup made beside the run, on the request's thread. */
        private long catalogNanos;
        private long ranNanos;
        private String plan = "";
        private DuckSessions sessions;
        private DuckSessions.Session session;
        private boolean reusable = true;
        /** Run on the session's prepared statement, which is closed with the session, not with the query. */
        private boolean reusePlan;
        /** The statement was bounded in SQL (wrapped), so a page of it can be asked for by offset. */
        private boolean pageable;
        private boolean rendered;
        private List<Column> columns = List.of();
        /** Names the statement reads that must be datasets (not its own CTEs). */
        private Set<String> required = Set.of();
        private Statement stmt;
        private DuckDBResultSet rs;
        private DatasetViews.Resolved resolved;
        /** The statement started on the session's thread and not awaited yet, and the texts it was prepared from. */
        private DuckSessions.Session.Pending<DuckDBResultSet> pending;
        private List<String> pendingSqls = List.of();
        private boolean closed;

        private Running(long startedNanos, long deadlineNanos, ResultFormat format) {
            this.startedNanos = startedNanos;
            this.deadlineNanos = deadlineNanos;
            this.format = format;
        }

        @Override
        public DuckDBResultSet resultSet() {
            return rs;
        }

        @Override
        public List<Column> columns() {
            return columns;
        }

        @Override
        public boolean rendered() {
            return rendered;
        }

        /** True when the answer was bounded in SQL, so the next page can be asked for by offset. */
        public boolean pageable() {
            return pageable;
        }

        /** Dataset → manifest version the answer was computed from. */
        @Override
        public Map<String, Integer> versions() {
            return resolved == null ? Map.of() : resolved.versions();
        }

        @Override
        public long elapsedMillis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        }

        @Override
        public void checkDeadline() {
            if (System.nanoTime() - exportDeadlineNanos >= 0) {
                cancelForTimeout();
                throw new GatewayTimeout("export exceeded queryd.export_timeout of " + exportTimeout.toMillis()
                        + " ms and was cancelled", Map.of("timeout_ms", exportTimeout.toMillis(), "code", "export_timeout"));
            }
        }

        /** Holds the views' pins (released on close even if the run fails), then executes {@code sql}. */
        private void runOn(DatasetViews.Resolved views, String sql) throws SQLException {
            startOn(views, sql);
            finish();
        }

        /**
         * Holds the views' pins (released on close even if the run fails), then starts {@code sql} on the session's
         * prepared statement for it (or a new statement) on the session's thread; {@link #finish} waits for it.
         * A wrapped statement is prepared as the user wrote it first (binding it reads its columns, and reports
         * unknown names), then, for JSON and CSV, once more with each column rendered by DuckDB ({@link Rendering}).
         */
        private void startOn(DatasetViews.Resolved views, String sql) throws SQLException {
            resolved = views;
            viewsNanos = System.nanoTime();
            Set<String> unknown = new java.util.TreeSet<>(views.missing());
            unknown.retainAll(required);
            if (!unknown.isEmpty()) {
                throw QueryRunner.this.views.unknownDatasets(unknown);
            }
            PreparedStatement prepared = null;
            List<String> texts = List.of(sql);
            if (reusePlan) {
                PreparedStatement bound = session.prepared(sql);
                columns = columnsOf(bound.getMetaData());
                String renderedSql = Rendering.sql(format, sql, columns);
                rendered = !renderedSql.equals(sql);
                prepared = rendered ? session.prepared(renderedSql) : bound;
                texts = rendered ? List.of(sql, renderedSql) : texts;
            }
            PreparedStatement p = prepared;
            Statement s = p != null ? p : session.conn.createStatement();
            synchronized (this) {
                stmt = s;
                if (timedOut.get() || System.nanoTime() - deadlineNanos >= 0) { // e.g. a long download of the files
                    timedOut.set(true);
                    throw timedOutBetweenAttempts();
                }
            }
            pendingSqls = texts;
            pending = session.start(() -> (DuckDBResultSet) (p != null ? p.executeQuery() : s.executeQuery(sql)));
        }

        private static List<Column> columnsOf(ResultSetMetaData md) throws SQLException {
            List<Column> cols = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                cols.add(new Column(md.getColumnLabel(i), md.getColumnTypeName(i)));
            }
            return List.copyOf(cols);
        }

        /** Waits for the started statement; at the timeout's deadline it is cancelled (and still waited for). */
        private void finish() throws SQLException {
            DuckSessions.Session.Pending<DuckDBResultSet> p = pending;
            pending = null;
            try {
                rs = p.await(deadlineNanos, this::cancelForTimeout, this::cancel);
                if (!reusePlan) {
                    columns = columnsOf(rs.getMetaData());
                }
            } catch (SQLException | RuntimeException e) {
                if (reusePlan) {
                    pendingSqls.forEach(session::forgetPlan); // the driver closes a statement that failed
                }
                throw e;
            }
            ranNanos = System.nanoTime();
        }

        /** Waits out a started statement whose answer will not be used: the connection must be idle first. */
        private void abandon() {
            if (pending == null) {
                return;
            }
            try {
                finish();
            } catch (SQLException | RuntimeException e) {
                discardSession(); // the caller reports its own error
            }
        }

        /** What {@link #translate} makes a 504 of, for a timeout that found no statement to interrupt. */
        static SQLException timedOutBetweenAttempts() {
            return new SQLException("INTERRUPT Error: statement timeout");
        }

        /** Drops an attempt's result, statement and pins; the session and the slot stay. */
        private synchronized void resetAttempt() {
            closeStatement();
            rs = null;
            stmt = null;
            if (resolved != null) {
                resolved.close();
                resolved = null;
            }
        }

        /** The statement timeout's deadline passed: cancels the statement unless the query is already closed. */
        private synchronized void cancelForTimeout() {
            if (closed) {
                return;
            }
            timedOut.set(true);
            cancel();
        }

        /** Interrupts the running statement, if any; the session is not reused after that. */
        private synchronized void cancel() {
            reusable = false; // DuckDB's interrupt is per connection: it must not reach the next query
            if (stmt == null) {
                return;
            }
            try {
                stmt.cancel();
            } catch (SQLException e) {
                log.debug("cancel: {}", e.getMessage());
            }
        }

        private void closeStatement() {
            try {
                if (rs != null) {
                    rs.close();
                }
                if (stmt != null && !reusePlan) {
                    stmt.close();
                }
            } catch (SQLException e) {
                log.debug("closing statement: {}", e.getMessage());
            }
        }

        /** The session is closed instead of pooled (after any error, the cheap way to be sure of its state). */
        public synchronized void discardSession() {
            reusable = false;
        }

        /** A DuckDB error as the typed error a client can act on; the session is not reused. */
        public ApiException translate(SQLException e) {
            discardSession();
            String msg = firstLine(e.getMessage());
            if (timedOut.get() || msg.startsWith("INTERRUPT")) {
                return new GatewayTimeout("statement exceeded the timeout of " + timeout.toMillis() + " ms and was cancelled",
                        Map.of("timeout_ms", timeout.toMillis()));
            }
            if (msg.startsWith("Permission Error")) {
                return new Forbidden("SQL may only read the registered datasets: " + msg, Map.of("code", ErrorCodes.SQL_FORBIDDEN));
            }
            if (msg.startsWith("Out of Memory Error")) {
                return new ApiException(507, "the engine ran out of memory (queryd.duckdb_memory_limit): " + msg,
                        Map.of("code", "engine_memory_exhausted"), e);
            }
            if (msg.startsWith("IO Error") || msg.startsWith("INTERNAL") || msg.startsWith("FATAL")) {
                return new ApiException(500, "query failed in the engine: " + msg);
            }
            return new BadRequest(e.getMessage() == null ? msg : e.getMessage().strip());
        }

        /** Where the time went: parse+gate, catalog+cache+views, then execution and writing; and how it ran. */
        public String timing() {
            long end = System.nanoTime();
            return String.format(java.util.Locale.ROOT,
                    "guard %.1f ms, views %.1f ms (catalog %.1f ms), run %.1f ms (catalog beside it %.1f ms), write %.1f ms; %s",
                    (guardNanos - startedNanos) / 1e6, (viewsNanos - guardNanos) / 1e6,
                    resolved == null ? 0.0 : resolved.catalogNanos() / 1e6, (ranNanos - viewsNanos) / 1e6,
                    catalogNanos / 1e6, (end - ranNanos) / 1e6, plan);
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            abandon(); // only after an unexpected error between start and finish
            closed = true;
            closeStatement();
            if (session != null) {
                sessions.release(session, reusable);
            }
            if (resolved != null) {
                resolved.close();
            }
            admission.release();
        }
    }

    public static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").trim();
    }
}
