package dev.lakehouse.queryd.exec;

import dev.lakehouse.queryd.engine.DuckSessions;
import dev.lakehouse.queryd.engine.ExportPipes;
import dev.lakehouse.queryd.result.Column;
import dev.lakehouse.queryd.result.Rendering;
import dev.lakehouse.queryd.result.ResultFormat;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBResultSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A statement on a session's connection, run on the session's thread under the statement timeout: started
 * ({@link #start}), awaited ({@link #finish}), cancelled at the deadline. A query may make two attempts (a run on
 * remembered manifests, then one on the catalog's answer); {@link #reset} drops the first. Once DuckDB's interrupt
 * has reached the connection ({@link #interrupted}) the session must not serve another query: the interrupt is per
 * connection.
 */
final class Execution {
    private static final Logger log = LoggerFactory.getLogger(Execution.class);

    private final DuckSessions.Session session;
    private final ResultFormat format;
    /** The statement timeout's deadline ({@link System#nanoTime}), counted from the request's start. */
    private final long deadlineNanos;
    /** Run on the session's prepared statement, which is closed with the session, not with the query. */
    private final boolean reusePlan;
    private boolean timedOut;
    private boolean interrupted;
    private boolean closed;
    private Statement stmt;
    private DuckDBResultSet rs;
    private List<Column> columns = List.of();
    private boolean rendered;
    /** The statement started on the session's thread and not awaited yet, and the texts it was prepared from. */
    private DuckSessions.Session.Pending<DuckDBResultSet> pending;
    private List<String> pendingSqls = List.of();
    /** Where a CSV export's COPY writes (null: no export pipes, or not a CSV export), and the COPY under way. */
    private final ExportPipes pipes;
    private PipedCopy copy;

    /** @param reusePlan the statement is a wrapped SELECT: its plans are kept on the session (EXPLAIN and the odd rest are not) */
    Execution(DuckSessions.Session session, ResultFormat format, long deadlineNanos, boolean reusePlan,
            ExportPipes pipes) {
        this.pipes = format == ResultFormat.CSV ? pipes : null;
        this.session = session;
        this.format = format;
        this.deadlineNanos = deadlineNanos;
        this.reusePlan = reusePlan;
    }

    DuckDBResultSet resultSet() {
        return rs;
    }

    /** The columns as the user wrote the statement, before any rendering. */
    List<Column> columns() {
        return columns;
    }

    boolean rendered() {
        return rendered;
    }

    /** The CSV answer DuckDB's COPY writes, or null. */
    PipedCopy copy() {
        return copy;
    }

    synchronized boolean timedOut() {
        return timedOut;
    }

    synchronized boolean interrupted() {
        return interrupted;
    }

    /**
     * Starts {@code sql} on the session's prepared statement for it (or a new statement) on the session's thread;
     * {@link #finish} waits for it. A wrapped statement is prepared as the user wrote it first (binding it reads
     * its columns, and reports unknown names), then, for JSON and CSV, once more with each column rendered by
     * DuckDB ({@link Rendering}).
     */
    void start(String sql) throws SQLException {
        PreparedStatement prepared = null;
        List<String> texts = List.of(sql);
        if (reusePlan) {
            PreparedStatement bound = session.prepared(sql);
            columns = columnsOf(bound.getMetaData());
            if (pipes != null && !columns.isEmpty()) {
                startCopy(sql);
                return;
            }
            String renderedSql = Rendering.sql(format, sql, columns);
            rendered = !renderedSql.equals(sql);
            prepared = rendered ? session.prepared(renderedSql) : bound;
            texts = rendered ? List.of(sql, renderedSql) : texts;
        }
        PreparedStatement p = prepared;
        Statement s = p != null ? p : session.conn.createStatement();
        synchronized (this) {
            stmt = s;
            if (timedOut || System.nanoTime() - deadlineNanos >= 0) { // e.g. a long download of the files
                timedOut = true;
                throw EngineErrors.timedOutBetweenAttempts();
            }
        }
        pendingSqls = texts;
        pending = session.start(() -> (DuckDBResultSet) (p != null ? p.executeQuery() : s.executeQuery(sql)));
    }

    /**
     * A CSV export: DuckDB's {@code COPY} of the statement into a pipe of the export directory, its bytes COPY's own
     * (ADR 0042). Preparing the statement first (in {@link #start}) reported unknown names before anything runs.
     */
    private void startCopy(String sql) throws SQLException {
        Statement s = session.conn.createStatement();
        PipedCopy c;
        try {
            c = new PipedCopy(pipes.create(), Rendering.csvHeader(columns).length);
        } catch (java.io.IOException e) {
            s.close();
            throw new SQLException("cannot make an export pipe: " + e.getMessage(), e);
        }
        synchronized (this) {
            stmt = s;
            copy = c;
            if (timedOut || System.nanoTime() - deadlineNanos >= 0) {
                timedOut = true;
                throw EngineErrors.timedOutBetweenAttempts();
            }
        }
        c.start(session, s, c.sql(sql));
    }

    /** From now, a CSV export's COPY is cancelled at {@code deadlineNanos} (the export timeout). */
    void exportDeadline(long deadlineNanos) {
        if (copy != null) {
            copy.cancelAt(deadlineNanos, this::cancelForTimeout);
        }
    }

    /** Waits for the started statement; at the timeout's deadline it is cancelled (and still waited for). */
    void finish() throws SQLException {
        if (copy != null) {
            copy.awaitFirstRow(deadlineNanos, this::cancelForTimeout, this::cancel);
            return;
        }
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
    }

    /**
     * Waits out a started statement whose answer will not be used: the connection must be idle first. False when
     * it failed (the session is then not fit to pool).
     */
    boolean abandon() {
        if (copy != null && copy.running()) {
            return copy.abandon(this::cancel); // not awaited: the client is gone or the query failed
        }
        if (pending == null) {
            return true;
        }
        try {
            finish();
            return true;
        } catch (SQLException | RuntimeException e) {
            return false; // the caller reports its own error
        }
    }

    /** Drops an attempt's result and statement; the session stays. */
    void reset() {
        PipedCopy c;
        synchronized (this) {
            c = copy;
        }
        if (c != null && c.running()) {
            // a COPY on stale views, awaited without this lock (a deadline's cancel takes it): it fails at its next
            // write into its closed pipe; not interrupted, so the session may run the next attempt
            c.abandon(() -> {});
        }
        synchronized (this) {
            resetStatement();
        }
    }

    private void resetStatement() {
        closeStatement();
        rs = null;
        stmt = null;
    }

    /** The statement timeout's deadline passed: cancels the statement unless the query is already closed. */
    synchronized void cancelForTimeout() {
        if (closed) {
            return;
        }
        timedOut = true;
        cancel();
    }

    /** Interrupts the running statement, if any; the session is not reused after that. */
    synchronized void cancel() {
        interrupted = true;
        if (stmt == null) {
            return;
        }
        try {
            stmt.cancel();
        } catch (SQLException e) {
            log.debug("cancel: {}", e.getMessage());
        }
    }

    /** Closes result and statement (not a kept plan); a later deadline cancels nothing. */
    synchronized void close() {
        closed = true;
        closeStatement();
    }

    private void closeStatement() {
        boolean own = !reusePlan || copy != null; // a COPY's statement is its own, not a kept plan
        if (copy != null) {
            copy.close();
            copy = null;
        }
        try {
            if (rs != null) {
                rs.close();
            }
            if (stmt != null && own) {
                stmt.close();
            }
        } catch (SQLException e) {
            log.debug("closing statement: {}", e.getMessage());
        }
    }

    private static List<Column> columnsOf(ResultSetMetaData md) throws SQLException {
        List<Column> cols = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            cols.add(new Column(md.getColumnLabel(i), md.getColumnTypeName(i)));
        }
        return List.copyOf(cols);
    }
}
