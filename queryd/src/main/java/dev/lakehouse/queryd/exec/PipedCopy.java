package dev.lakehouse.queryd.exec;

import dev.lakehouse.queryd.engine.DuckEngine;
import dev.lakehouse.queryd.engine.DuckSessions;
import dev.lakehouse.queryd.engine.ExportPipes;
import dev.lakehouse.queryd.result.CopiedCsv;
import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A CSV export as DuckDB's own {@code COPY (<the bounded statement>) TO <pipe> (FORMAT csv, HEADER)}, run on the
 * session's thread while the request's thread reads the pipe (ADR 0042). DuckDB writes the header when the COPY
 * starts, so the run "to its first row" that the statement timeout bounds ends with the first bytes past the header
 * ({@link #awaitFirstRow}); those bytes are held and handed out first. A deadline cancels the COPY from a timer: the
 * reading thread is blocked in the pipe, not waiting on the session. Closing the pipe's read end makes a COPY still
 * writing fail (EPIPE), so nothing outlives the query.
 */
final class PipedCopy implements CopiedCsv {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "queryd-export-deadline");
        t.setDaemon(true);
        return t;
    });

    private final ExportPipes.Pipe pipe;
    private final int headerBytes;
    private DuckSessions.Session.Pending<Long> pending;
    private long rows = -1;
    private byte[] held = new byte[0];
    private int heldFrom;
    private int heldTo;
    private boolean ended;
    private ScheduledFuture<?> exportDeadline;

    PipedCopy(ExportPipes.Pipe pipe, int headerBytes) {
        this.pipe = pipe;
        this.headerBytes = headerBytes;
    }

    /** The COPY of {@code select} into this pipe; {@code USE_TMP_FILE false}: DuckDB writes the pipe itself. */
    String sql(String select) {
        return "COPY (\n" + select + "\n) TO " + DuckEngine.quote(pipe.path().toString())
                + " (FORMAT csv, HEADER, USE_TMP_FILE false)";
    }

    /** The COPY runs on the session's thread; when it returns, DuckDB has closed its end of the pipe. */
    void start(DuckSessions.Session session, java.sql.Statement s, String copySql) {
        pending = session.start(() -> {
            try {
                s.execute(copySql);
                return (long) s.getUpdateCount();
            } finally {
                pipe.writerDone();
            }
        });
    }

    /**
     * Reads the header and the first bytes of the first row (or to the end of an empty or failed answer). At
     * {@code deadlineNanos} the COPY is cancelled ({@code onDeadline}); a COPY that ended early is awaited, so its
     * error is thrown here, before any byte is sent.
     */
    void awaitFirstRow(long deadlineNanos, Runnable onDeadline, Runnable onInterrupt) throws SQLException {
        ScheduledFuture<?> timer = TIMER.schedule(onDeadline, deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        held = new byte[Math.max(1 << 16, headerBytes + 1)];
        try {
            while (heldTo <= headerBytes) {
                int got = pipe.in().read(held, heldTo, held.length - heldTo);
                if (got < 0) {
                    ended = true;
                    break;
                }
                heldTo += got;
            }
        } catch (IOException e) {
            throw new SQLException("reading the export's pipe: " + e.getMessage(), e);
        } finally {
            timer.cancel(false);
        }
        if (ended) {
            await(deadlineNanos, onDeadline, onInterrupt);
        }
    }

    /** From now, the COPY is cancelled at {@code deadlineNanos} (the export timeout). */
    void cancelAt(long deadlineNanos, Runnable cancel) {
        exportDeadline = TIMER.schedule(cancel, deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (heldFrom < heldTo) {
            int n = Math.min(len, heldTo - heldFrom);
            System.arraycopy(held, heldFrom, b, off, n);
            heldFrom += n;
            if (heldFrom == heldTo) {
                held = null;
            }
            return n;
        }
        if (ended) {
            return -1;
        }
        int got = pipe.in().read(b, off, len);
        ended = got < 0;
        return got;
    }

    @Override
    public long finish() throws SQLException {
        await(Long.MAX_VALUE, () -> {}, () -> {});
        return rows;
    }

    /** True when the COPY was started and not awaited yet. */
    boolean running() {
        return pending != null;
    }

    /**
     * Waits out a COPY whose answer will not be used: its pipe is closed first, so a COPY that writes fails (EPIPE),
     * and {@code interrupt} may stop one that computes. False when it failed.
     */
    boolean abandon(Runnable interrupt) {
        pipe.close();
        interrupt.run();
        try {
            await(Long.MAX_VALUE, () -> {}, () -> {});
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private void await(long deadlineNanos, Runnable onDeadline, Runnable onInterrupt) throws SQLException {
        DuckSessions.Session.Pending<Long> p = pending;
        if (p == null) {
            return;
        }
        pending = null;
        rows = p.await(deadlineNanos, onDeadline, onInterrupt);
    }

    /** Stops the export's timer and removes the pipe; the COPY must have been awaited. */
    void close() {
        if (exportDeadline != null) {
            exportDeadline.cancel(false);
        }
        pipe.close();
    }
}
