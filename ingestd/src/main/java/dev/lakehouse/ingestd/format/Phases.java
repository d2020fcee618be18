package dev.lakehouse.ingestd.format;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The phases of one ingest (spool, sniff, checks, convert, exact, upload, register) with wall time, the process's
 * CPU time and the request thread's CPU time spent in each. On a loaded machine wall time says little; CPU does:
 * DuckDB's workers are native threads, so the process CPU is what counts them (it includes concurrent requests').
 * Reported as a {@code Server-Timing} header (through the gateway) and in the ingest's log line.
 */
public final class Phases {
    /** One phase's totals, in nanoseconds. */
    public record Cost(long wall, long cpu, long threadCpu) {
        Cost plus(Cost o) {
            return new Cost(wall + o.wall, cpu + o.cpu, threadCpu + o.threadCpu);
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean o ? o : null;

    private final Map<String, Cost> costs = new LinkedHashMap<>();
    private long wall;
    private long cpu;
    private long threadCpu;

    private Phases() {
        wall = System.nanoTime();
        cpu = processCpu();
        threadCpu = threadCpu();
    }

    /** A clock started now: the first {@link #end} measures from here. */
    public static Phases start() {
        return new Phases();
    }

    /** Ends the phase that ran since the last call (or the start) under {@code name}; a repeated name adds up. */
    public void end(String name) {
        long w = System.nanoTime();
        long c = processCpu();
        long t = threadCpu();
        costs.merge(name, new Cost(w - wall, c - cpu, t - threadCpu), Cost::plus);
        wall = w;
        cpu = c;
        threadCpu = t;
    }

    /** Skips the time since the last call (work that is no phase of the ingest, e.g. waiting for the dataset's lock). */
    public void skip() {
        wall = System.nanoTime();
        cpu = processCpu();
        threadCpu = threadCpu();
    }

    public Map<String, Cost> costs() {
        return Map.copyOf(costs);
    }

    /** {@code spool;dur=712.3;cpu=640.2;tcpu=600.1, …} in ms (RFC-style extension params beside {@code dur}). */
    public String serverTiming() {
        return costs.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s;dur=%.1f;cpu=%.1f;tcpu=%.1f", e.getKey(),
                ms(e.getValue().wall()), ms(e.getValue().cpu()), ms(e.getValue().threadCpu()))).collect(Collectors.joining(", "));
    }

    /** {@code spool 712/640 ms, …}: wall/process CPU per phase, for the log. */
    public String summary() {
        return costs.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.0f/%.0f", e.getKey(),
                ms(e.getValue().wall()), ms(e.getValue().cpu()))).collect(Collectors.joining(", ", "", " ms wall/cpu"));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static long processCpu() {
        return OS == null ? 0 : Math.max(0, OS.getProcessCpuTime());
    }

    private static long threadCpu() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
    }
}
