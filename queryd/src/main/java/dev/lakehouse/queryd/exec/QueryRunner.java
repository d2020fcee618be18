package dev.lakehouse.queryd.exec;

import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.queryd.admission.Admission;
import dev.lakehouse.queryd.admission.AdmittedStatements;
import dev.lakehouse.queryd.admission.PivotValues;
import dev.lakehouse.queryd.admission.SqlGuard;
import dev.lakehouse.queryd.vectors.VectorSearch;
import dev.lakehouse.queryd.engine.DuckEngine;
import dev.lakehouse.queryd.engine.DuckSessions;
import dev.lakehouse.queryd.engine.ExportPipes;
import dev.lakehouse.queryd.result.Rendering;
import dev.lakehouse.queryd.result.ResultFormat;
import dev.lakehouse.queryd.views.DatasetViews;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The path of a query, top-down ({@link #start}): a slot from {@link Admission} (or a place in its queue), a pooled
 * session on the engine for the answer's kind (JSON pages on the materializing DuckDB, exports on the streaming
 * one), the statement admitted by {@link SqlGuard} and bounded to what will be sent, dataset views over pinned
 * cache files ({@link DatasetViews}: only what the catalog confirms is served), rendering for the text formats
 * ({@link Rendering}), and the run under the statement timeout ({@link Execution}). The result is handed out open
 * ({@link Running}); the caller streams it and closes it, which releases session, pins and slot. Engine errors
 * become typed ones in {@link EngineErrors}.
 */
public final class QueryRunner implements AutoCloseable {
    private final DuckSessions pages;
    private final DuckSessions exports;
    private final AdmittedStatements admitted;
    private final DatasetViews views;
    private final Duration timeout;
    private final Duration exportTimeout;
    private final Admission admission;
    private final VectorSearch vectorSearch;
    private final ExportPipes exportPipes;
    private final LongAdder askedFirst = new LongAdder();
    private final LongAdder guessesConfirmed = new LongAdder();
    private final LongAdder guessesStale = new LongAdder();
    private int pivotMaxValues = 1000;

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
        this.exportPipes = exportsEngine.pipes();
        this.admitted = new AdmittedStatements(statementCache);
        this.views = views;
        this.timeout = timeout;
        this.exportTimeout = exportTimeout;
        this.admission = admission;
        this.vectorSearch = vectorSearch;
    }

    /** At most this many distinct values make the IN list of a PIVOT without one ({@code queryd.pivot_max_values}). */
    public void pivotMaxValues(int max) {
        this.pivotMaxValues = max;
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
        QueryTiming timing = new QueryTiming(System.nanoTime());
        DuckSessions sessions = req.format() == ResultFormat.JSON ? pages : exports;
        DuckSessions.Session session;
        SqlGuard.Admitted statement;
        PivotValues.Plan pivot;
        try {
            session = sessions.acquire();
        } catch (SQLException | RuntimeException e) {
            admission.release();
            throw e instanceof SQLException se ? EngineErrors.translate(se, false, timeout) : (RuntimeException) e;
        }
        try {
            String sql = vectorSearch.rewrite(session.conn, req.sql());
            // a PIVOT without IN list is admitted with placeholders; its values are read once its views are pinned
            pivot = PivotValues.plan(session.conn, sql);
            statement = admitted.admit(session.conn, pivot == null ? sql : pivot.placeholder());
        } catch (RuntimeException e) {
            sessions.release(session, false);
            admission.release();
            throw e;
        }
        Running r = new Running(admission, sessions, session,
                new Execution(session, req.format(), timing.startedNanos + timeout.toNanos(), statement.wrappable(),
                        exportPipes),
                timing, timeout, exportTimeout, statement.wrappable());
        try {
            Set<String> tables = statement.checked().tables();
            Set<String> required = statement.checked().datasetNames();
            String bounded = bounded(statement, req);
            timing.guarded();
            boolean discovery = statement.checked().discovery();
            Optional<Map<String, Optional<Manifest>>> guess = req.versions().isEmpty() && req.onlyVersion() == null
                    && !discovery && pivot == null ? views.remembered(tables) : Optional.empty();
            if (guess.isPresent()) {
                runOnGuess(r, tables, required, guess.get(), bounded);
            } else {
                timing.plan(discovery ? "discovery: every dataset's schema, catalog asked first" : "catalog asked first");
                askedFirst.increment();
                // a discovery query's pins of datasets it does not read as data pin the schemas it lists
                Map<String, Integer> read = new LinkedHashMap<>(req.versions());
                Map<String, Integer> listed = new LinkedHashMap<>(req.versions());
                if (discovery && req.onlyVersion() != null && required.isEmpty()) {
                    // versions are per dataset, and SHOW TABLES / information_schema name none; a DESCRIBE names one
                    throw new BadRequest("?version=N pins the one dataset a query reads, and this query lists datasets"
                            + " without reading one (SHOW TABLES, information_schema), so N would name no dataset; pin"
                            + " the versions to list with {\"versions\": {\"dataset\": N}}",
                            Map.of("code", ErrorCodes.VERSION_NEEDS_DATASET));
                }
                if (discovery) {
                    read.keySet().retainAll(tables);
                    listed.keySet().removeAll(tables);
                }
                DatasetViews.Resolved resolved = views.define(session, tables, read, req.onlyVersion());
                if (discovery) {
                    try {
                        resolved = resolved.withVersions(views.defineSchemas(session, tables, listed));
                    } catch (RuntimeException e) {
                        resolved.close(); // its pins: not handed to the run yet
                        throw e;
                    }
                }
                if (pivot != null) {
                    r.hold(resolved); // the values are read on these views, and the pivot runs on them
                    refuseUnknown(resolved, required);
                    bounded = bounded(SqlGuard.admit(session.conn, pivot.complete(pivotValues(r, pivot), pivotMaxValues)), req);
                }
                startOn(r, resolved, required, bounded);
                finish(r);
            }
            r.exportClockStarts();
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

    private static String bounded(SqlGuard.Admitted statement, Request req) {
        return req.format() == ResultFormat.JSON ? statement.page(req.offset(), req.pageSize())
                : req.limit() != null ? statement.limited(req.limit()) : statement.whole();
    }

    /**
     * Each placeholder's distinct values, read on the session's thread under the statement timeout (one more than
     * the bound is enough to refuse). The queries are built from the admitted statement's own parse tree.
     */
    private List<List<String>> pivotValues(Running r, PivotValues.Plan plan) throws SQLException {
        List<List<String>> all = new ArrayList<>();
        for (String query : plan.distinctQueries()) {
            SqlGuard.check(r.session().conn, query); // built from an admitted statement, checked all the same
            AtomicReference<Statement> running = new AtomicReference<>();
            Runnable cancel = () -> {
                Statement s = running.get();
                if (s != null) {
                    try {
                        s.cancel();
                    } catch (SQLException e) {
                        // the run ends on its own; the timeout below still answers 504
                    }
                }
            };
            boolean[] timedOut = {false};
            try {
                all.add(r.session().start(() -> {
                    List<String> values = new ArrayList<>();
                    try (Statement s = r.session().conn.createStatement()) {
                        running.set(s);
                        try (ResultSet rs = s.executeQuery(query + " LIMIT " + (pivotMaxValues + 1L))) {
                            while (rs.next()) {
                                values.add(rs.getString(1));
                            }
                        }
                    }
                    return values;
                }).await(r.timingMarks().startedNanos + timeout.toNanos(), () -> {
                    timedOut[0] = true;
                    cancel.run();
                }, cancel));
            } catch (SQLException e) {
                throw EngineErrors.translate(e, timedOut[0], timeout);
            }
            if (timedOut[0]) {
                throw EngineErrors.translate(new SQLException("INTERRUPT"), true, timeout);
            }
        }
        return all;
    }

    /** Runs on the remembered manifests while the catalog is asked; reruns on its answer if that differs. */
    private void runOnGuess(Running r, Set<String> tables, Set<String> required, Map<String, Optional<Manifest>> guess,
            String sql) throws SQLException {
        Exception failed = null;
        try {
            startOn(r, views.bind(r.session(), guess), required, sql);
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
            r.timingMarks().catalogBeside(System.nanoTime() - askFrom);
        }
        if (failed == null) {
            try {
                finish(r);
            } catch (SQLException | RuntimeException e) {
                failed = e;
            }
        }
        if (current.equals(guess)) {
            r.timingMarks().plan("ran on remembered manifests, catalog confirmed");
            guessesConfirmed.increment();
            rethrow(failed);
            return;
        }
        if (r.execution().timedOut()) {
            r.resetAttempt();
            throw EngineErrors.timedOutBetweenAttempts();
        }
        // the catalog has moved on: nothing computed from the guess leaves this method
        if (failed != null) {
            r.discardSession();
        }
        r.resetAttempt();
        r.timingMarks().plan("remembered manifests were stale, ran again on the catalog's answer");
        guessesStale.increment();
        startOn(r, views.bind(r.session(), current), required, sql);
        finish(r);
    }

    /**
     * Hands the views to the query (their pins are released on close even if the run fails), refuses names that
     * must be datasets but the catalog has none for, and starts {@code sql} on the session's thread.
     */
    private void startOn(Running r, DatasetViews.Resolved resolved, Set<String> required, String sql)
            throws SQLException {
        r.hold(resolved);
        refuseUnknown(resolved, required);
        r.execution().start(sql);
    }

    private void refuseUnknown(DatasetViews.Resolved resolved, Set<String> required) {
        Set<String> unknown = new TreeSet<>(resolved.missing());
        unknown.retainAll(required);
        if (!unknown.isEmpty()) {
            throw views.unknownDatasets(unknown);
        }
    }

    private static void finish(Running r) throws SQLException {
        r.execution().finish();
        r.timingMarks().ran();
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
        return Map.of("export_pipes", exportPipes == null ? 0 : exportPipes.open(), "admission", admission.stats(), "sessions", Map.of("pages", pages.stats(), "exports", exports.stats()), "statements", admitted.stats(), "catalog_checks", Map.of(
                "asked_first", askedFirst.sum(), "beside_run_confirmed", guessesConfirmed.sum(),
                "beside_run_stale", guessesStale.sum()));
    }

    @Override
    public void close() {
        pages.close();
        exports.close();
    }
}
