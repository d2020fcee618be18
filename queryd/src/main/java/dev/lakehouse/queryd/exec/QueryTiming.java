package dev.lakehouse.queryd.exec;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Where one query's time went (marks on {@link System#nanoTime}) and how it ran, for the request's log line. */
final class QueryTiming {
    final long startedNanos;
    private long guardNanos;
    private long viewsNanos;
    /** The catalog lookup made beside the run, on the request's thread. */
    private long catalogBesideNanos;
    private long ranNanos;
    private String plan = "";

    QueryTiming(long startedNanos) {
        this.startedNanos = startedNanos;
    }

    void guarded() {
        guardNanos = System.nanoTime();
    }

    void viewsBound() {
        viewsNanos = System.nanoTime();
    }

    void ran() {
        ranNanos = System.nanoTime();
    }

    void catalogBeside(long nanos) {
        catalogBesideNanos = nanos;
    }

    void plan(String plan) {
        this.plan = plan;
    }

    long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    /** Parse+gate, catalog+cache+views, then execution and writing; {@code catalogNanos}: the views' own lookup. */
    String describe(long catalogNanos) {
        long end = System.nanoTime();
        return String.format(Locale.ROOT,
                "guard %.1f ms, views %.1f ms (catalog %.1f ms), run %.1f ms (catalog beside it %.1f ms), write %.1f ms; %s",
                (guardNanos - startedNanos) / 1e6, (viewsNanos - guardNanos) / 1e6, catalogNanos / 1e6,
                (ranNanos - viewsNanos) / 1e6, catalogBesideNanos / 1e6, (end - ranNanos) / 1e6, plan);
    }
}
