package dev.lakehouse.queryd.exec;

import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.GatewayTimeout;
import dev.lakehouse.queryd.admission.Admission;
import dev.lakehouse.queryd.engine.DuckSessions;
import dev.lakehouse.queryd.result.Column;
import dev.lakehouse.queryd.result.CopiedCsv;
import dev.lakehouse.queryd.result.ResultSource;
import dev.lakehouse.queryd.views.DatasetViews;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBResultSet;

/**
 * An open answer, handed to the caller by {@link QueryRunner#start}: what it holds (an admission slot, a pooled
 * session, the views' pinned cache files) and the statement's result. Close it exactly once; that releases
 * everything, the session only back to the pool if nothing went wrong on it.
 */
public final class Running implements AutoCloseable, ResultSource {
    private final Admission admission;
    private final DuckSessions sessions;
    private final DuckSessions.Session session;
    private final Execution execution;
    private final QueryTiming timing;
    private final Duration statementTimeout;
    private final Duration exportTimeout;
    /** The statement was bounded in SQL (wrapped), so a page of it can be asked for by offset. */
    private final boolean pageable;
    /** Bounds a streamed export as a whole, counted from its first row. */
    private long exportDeadlineNanos = Long.MAX_VALUE;
    private DatasetViews.Resolved resolved;
    private boolean reusable = true;
    private boolean closed;

    Running(Admission admission, DuckSessions sessions, DuckSessions.Session session, Execution execution,
            QueryTiming timing, Duration statementTimeout, Duration exportTimeout, boolean pageable) {
        this.admission = admission;
        this.sessions = sessions;
        this.session = session;
        this.execution = execution;
        this.timing = timing;
        this.statementTimeout = statementTimeout;
        this.exportTimeout = exportTimeout;
        this.pageable = pageable;
    }

    DuckSessions.Session session() {
        return session;
    }

    Execution execution() {
        return execution;
    }

    QueryTiming timingMarks() {
        return timing;
    }

    /** Holds the views' pins until close (or until the attempt is dropped), even if the run on them fails. */
    synchronized void hold(DatasetViews.Resolved views) {
        resolved = views;
        timing.viewsBound();
    }

    /** Drops an attempt's result, statement and pins; the session and the slot stay. */
    synchronized void resetAttempt() {
        execution.reset();
        if (resolved != null) {
            resolved.close();
            resolved = null;
        }
    }

    void exportClockStarts() {
        exportDeadlineNanos = System.nanoTime() + exportTimeout.toNanos();
        execution.exportDeadline(exportDeadlineNanos);
    }

    @Override
    public DuckDBResultSet resultSet() {
        return execution.resultSet();
    }

    @Override
    public List<Column> columns() {
        return execution.columns();
    }

    @Override
    public CopiedCsv copiedCsv() {
        return execution.copy();
    }

    @Override
    public boolean rendered() {
        return execution.rendered();
    }

    /** True when the answer was bounded in SQL, so the next page can be asked for by offset. */
    public boolean pageable() {
        return pageable;
    }

    /** Dataset → manifest version the answer was computed from. */
    @Override
    public synchronized Map<String, Integer> versions() {
        return resolved == null ? Map.of() : resolved.versions();
    }

    @Override
    public long elapsedMillis() {
        return timing.elapsedMillis();
    }

    @Override
    public void checkDeadline() {
        if (System.nanoTime() - exportDeadlineNanos >= 0) {
            execution.cancelForTimeout();
            throw new GatewayTimeout("export exceeded queryd.export_timeout of " + exportTimeout.toMillis()
                    + " ms and was cancelled", Map.of("timeout_ms", exportTimeout.toMillis(), "code", "export_timeout"));
        }
    }

    /** The session is closed instead of pooled (after any error, the cheap way to be sure of its state). */
    public synchronized void discardSession() {
        reusable = false;
    }

    /** A DuckDB error as the typed error a client can act on; the session is not reused. */
    public ApiException translate(SQLException e) {
        discardSession();
        return EngineErrors.translate(e, execution.timedOut(), statementTimeout);
    }

    /** Where the time went: parse+gate, catalog+cache+views, then execution and writing; and how it ran. */
    public synchronized String timing() {
        return timing.describe(resolved == null ? 0 : resolved.catalogNanos());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (!execution.abandon()) { // only after an unexpected error between start and finish
            reusable = false;
        }
        closed = true;
        execution.close();
        sessions.release(session, reusable && !execution.interrupted());
        if (resolved != null) {
            resolved.close();
        }
        admission.release();
    }
}
