package dev.lakehouse.queryd.engine;

import dev.lakehouse.queryd.views.DatasetViews;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections on the shared DuckDB, reused across queries. Each remembers the dataset views it has defined, so a
 * repeated query over an unchanged dataset neither opens a connection nor re-binds a view over the Parquet
 * files: {@link DatasetViews} re-defines a view only when the catalog's answer differs and drops every view the
 * current query does not read. Each also keeps its statements prepared ({@link Session#prepared}) for as long as
 * its views stay the same, and runs its queries on a thread of its own ({@link Session#start}). A session that saw
 * an error or a cancel is closed instead of reused: an interrupt of DuckDB is per connection and must not reach the
 * next query.
 */
public final class DuckSessions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DuckSessions.class);
    /** Prepared statements kept per session (a dashboard's handful of statements, with room to spare). */
    static final int PLANS_PER_SESSION = 64;

    private static final AtomicInteger THREADS = new AtomicInteger();

    /** One connection, the views on it (view name → the SELECT that defines it) and statements planned on them. */
    public static final class Session {
        public final DuckDBConnection conn;
        /**
         * The one thread that drives this connection's queries. Jetty hands consecutive requests to different
         * threads, and DuckDB's allocator (jemalloc, per-thread caches) then did more work: a filtered scan over
         * 1M rows took ~15% more CPU and time driven by two threads in turn than by one (measured, docs/queryd.md).
         * Sessions are pooled most-recently-used first, so a steady client keeps the same thread, warm.
         */
        private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "queryd-duckdb-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        public final Map<String, String> views = new HashMap<>();
        /**
         * Statement text → the statement parsed, bound and planned on this connection. Preparing costs a repeated
         * GROUP BY over 1M rows ~1 ms of its ~13 ms, a query over an empty view ~0.4 of ~0.8 ms (measured, docs/
         * queryd.md). A plan is only reused while the views it was bound on are unchanged: {@link DatasetViews}
         * calls {@link #forgetPlans} before it defines or drops a view, so no plan can read a superseded version.
         */
        private final Map<String, PreparedStatement> plans = Lru.map(PLANS_PER_SESSION, Session::closeQuietly);
        private final LongAdder planHits;
        private final LongAdder planMisses;

        private Session(DuckDBConnection conn, LongAdder planHits, LongAdder planMisses) {
            this.conn = conn;
            this.planHits = planHits;
            this.planMisses = planMisses;
        }

        /**
         * Starts {@code work} on the session's thread; the caller may do other work (queryd asks the catalog)
         * and then {@link Pending#await}s it. Every started run must be awaited before the session is released.
         */
        public <T> Pending<T> start(Callable<T> work) {
            return new Pending<>(thread.submit(work));
        }

        /** A run started on the session's thread. */
        public static final class Pending<T> {
            private final Future<T> future;

            private Pending(Future<T> future) {
                this.future = future;
            }

            /**
             * Waits for the run. At {@code deadlineNanos} ({@link System#nanoTime}), {@code onDeadline} runs once
             * (it cancels the statement); an interrupt of the caller runs {@code onInterrupt}. Either way the
             * caller then waits on for the run to end: the connection must be idle before anyone may close it.
             * Timing the run here, on the thread that waits for it anyway, needs no timer thread woken per query.
             */
            public T await(long deadlineNanos, Runnable onDeadline, Runnable onInterrupt) throws SQLException {
                boolean interrupted = false;
                boolean pastDeadline = false;
                try {
                    while (true) {
                        try {
                            if (pastDeadline) {
                                return future.get();
                            }
                            long left = deadlineNanos - System.nanoTime();
                            if (left <= 0) {
                                throw new TimeoutException();
                            }
                            return future.get(left, TimeUnit.NANOSECONDS);
                        } catch (TimeoutException e) {
                            pastDeadline = true;
                            onDeadline.run();
                        } catch (InterruptedException e) {
                            interrupted = true;
                            onInterrupt.run();
                        } catch (ExecutionException e) {
                            if (e.getCause() instanceof SQLException se) {
                                throw se;
                            }
                            if (e.getCause() instanceof RuntimeException re) {
                                throw re;
                            }
                            throw new IllegalStateException(e.getCause());
                        }
                    }
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }

        /** {@code sql} prepared on this connection: the one prepared before if the views are unchanged since. */
        public PreparedStatement prepared(String sql) throws SQLException {
            PreparedStatement p = plans.get(sql);
            if (p != null) {
                planHits.increment();
                return p;
            }
            planMisses.increment();
            p = conn.prepareStatement(sql);
            plans.put(sql, p);
            return p;
        }

        /** Drops the prepared {@code sql} (after it failed: the driver closes a statement that saw an error). */
        public void forgetPlan(String sql) {
            PreparedStatement p = plans.remove(sql);
            if (p != null) {
                closeQuietly(p);
            }
        }

        /** Closes every prepared statement: before a view changes, and before the connection closes. */
        public void forgetPlans() {
            List<PreparedStatement> all = List.copyOf(plans.values());
            plans.clear();
            all.forEach(Session::closeQuietly);
        }

        private static void closeQuietly(PreparedStatement p) {
            try {
                p.close();
            } catch (SQLException e) {
                log.debug("closing a prepared statement: {}", e.getMessage());
            }
        }
    }

    private final DuckEngine engine;
    private final int maxIdle;
    private final ArrayDeque<Session> idle = new ArrayDeque<>();
    private final LongAdder planHits = new LongAdder();
    private final LongAdder planMisses = new LongAdder();
    private boolean closed;
    private long opened;

    public DuckSessions(DuckEngine engine, int maxIdle) {
        this.engine = engine;
        this.maxIdle = maxIdle;
    }

    public Session acquire() throws SQLException {
        synchronized (this) {
            Session s = idle.pollFirst(); // most recently used: its views are the likeliest to fit
            if (s != null) {
                return s;
            }
            opened++;
        }
        return new Session(engine.connect(), planHits, planMisses);
    }

    /** Returns a session to the pool, or closes it when it is not {@code reusable} or the pool is full. */
    public void release(Session s, boolean reusable) {
        synchronized (this) {
            if (reusable && !closed && idle.size() < maxIdle) {
                idle.addFirst(s);
                return;
            }
        }
        closeQuietly(s);
    }

    public synchronized Map<String, Long> stats() {
        return Map.of("idle", (long) idle.size(), "opened", opened,
                "plans_reused", planHits.sum(), "plans_prepared", planMisses.sum());
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
        s.forgetPlans();
        try {
            s.conn.close();
        } catch (SQLException e) {
            log.warn("closing a DuckDB session: {}", e.getMessage());
        }
        s.thread.shutdown(); // idle: every query waits for its work on it
    }
}
