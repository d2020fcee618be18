package dev.lakehouse.queryd.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.queryd.exec.QueryRunner;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pooled sessions on a real DuckDB: their own query thread, and prepared statements kept until a view changes. */
class DuckSessionsTest {
    @TempDir
    Path tmp;
    DuckEngine engine;
    DuckSessions sessions;

    @BeforeEach
    void start() {
        engine = new DuckEngine(tmp.resolve("cache"), tmp.resolve("spill"), "256MB", 1, true, false);
        sessions = new DuckSessions(engine, 2);
    }

    @AfterEach
    void stop() {
        sessions.close();
        engine.close();
    }

    /** Runs {@code work} on the session's thread and waits for it, as QueryRunner does, with a deadline far off. */
    static <T> T run(DuckSessions.Session s, java.util.concurrent.Callable<T> work) throws SQLException {
        return s.start(work).await(System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60), () -> {}, () -> {});
    }

    @Test
    void aSessionRunsItsQueriesOnOneThreadOfItsOwn() throws Exception {
        DuckSessions.Session s = sessions.acquire();
        String first = run(s, () -> Thread.currentThread().getName());
        assertTrue(first.startsWith("queryd-duckdb-"), first);
        assertNotEquals(Thread.currentThread().getName(), first);
        sessions.release(s, true);

        DuckSessions.Session again = sessions.acquire();
        assertSame(s, again, "the most recently used session comes back");
        assertEquals(first, run(again, () -> Thread.currentThread().getName()), "and with it its thread");

        DuckSessions.Session other = sessions.acquire(); // the pool is empty: a new session, a new thread
        assertNotEquals(first, run(other, () -> Thread.currentThread().getName()));
        sessions.release(again, true);
        sessions.release(other, true);
    }

    @Test
    void aStartedRunIsCancelledOnceAtItsDeadlineAndStillWaitedFor() throws Exception {
        DuckSessions.Session s = sessions.acquire();
        java.util.concurrent.CountDownLatch cancelled = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger deadlines = new java.util.concurrent.atomic.AtomicInteger();
        DuckSessions.Session.Pending<String> run = s.start(() -> {
            // stands in for a statement that ends only when cancelled
            return cancelled.await(10, java.util.concurrent.TimeUnit.SECONDS) ? "ended after the cancel" : "never cancelled";
        });
        long t0 = System.nanoTime();
        String result = run.await(t0 + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100), () -> {
            deadlines.incrementAndGet();
            cancelled.countDown();
        }, () -> {});
        assertEquals("ended after the cancel", result, "the caller waited for the run to end after the cancel");
        assertEquals(1, deadlines.get());
        assertTrue(System.nanoTime() - t0 >= java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100), "not before its deadline");

        int[] none = {0};
        assertEquals("quick", s.start(() -> "quick").await(System.nanoTime() + 10_000_000_000L, () -> none[0]++, () -> {}));
        assertEquals(0, none[0], "a run that ends in time is not cancelled");
        sessions.release(s, true);
    }

    @Test
    void anEngineErrorReachesTheCallerAsItself() throws Exception {
        DuckSessions.Session s = sessions.acquire();
        SQLException e = assertThrows(SQLException.class, () -> run(s, () -> {
            try (Statement st = s.conn.createStatement()) {
                return st.executeQuery("SELECT * FROM no_such_table");
            }
        }));
        assertTrue(e.getMessage().contains("no_such_table"), e.getMessage());
        sessions.release(s, false);
    }

    @Test
    void preparedStatementsAreKeptUntilTheViewsChange() throws Exception {
        DuckSessions.Session s = sessions.acquire();
        try (Statement st = s.conn.createStatement()) {
            st.execute("CREATE TEMP VIEW v AS SELECT 1 AS x");
        }
        PreparedStatement p = s.prepared("SELECT x FROM v");
        assertSame(p, s.prepared("SELECT x FROM v"));
        s.forgetPlans();
        assertTrue(p.isClosed(), "a forgotten plan is closed");
        try (Statement st = s.conn.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP VIEW v AS SELECT 2 AS x");
        }
        PreparedStatement fresh = s.prepared("SELECT x FROM v");
        assertNotSame(p, fresh);
        try (ResultSet rs = fresh.executeQuery()) {
            assertTrue(rs.next());
            assertEquals(2, rs.getInt(1));
        }
        assertEquals(1L, sessions.stats().get("plans_reused"));
        assertEquals(2L, sessions.stats().get("plans_prepared"));
        sessions.release(s, true);
    }

    @Test
    void theLeastRecentlyUsedPlanIsClosedBeyondTheBound() throws Exception {
        DuckSessions.Session s = sessions.acquire();
        PreparedStatement oldest = s.prepared("SELECT 0");
        for (int i = 1; i <= DuckSessions.PLANS_PER_SESSION; i++) {
            s.prepared("SELECT " + i);
        }
        assertTrue(oldest.isClosed());
        assertFalse(s.prepared("SELECT 1").isClosed());
        sessions.release(s, true);
    }
}
