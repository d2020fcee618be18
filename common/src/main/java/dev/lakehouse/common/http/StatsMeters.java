package dev.lakehouse.common.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Meters over a service's existing stats map (the one {@code /health} shows), so the figures an operator reads
 * in {@code /health} and scrapes from {@code /metrics} are the same numbers, counted once. Keys are dotted paths
 * into nested maps ({@code "admission.running"}); the meter is {@code prefix_} + the path with dots as
 * underscores. A missing or non-numeric value reads as NaN (gauges) or 0 (counters), never as an error.
 */
public final class StatsMeters {
    private StatsMeters() {}

    /** Gauges: values that go up and down (running, queued, bytes held). */
    public static void gauges(MeterRegistry m, String prefix, Supplier<? extends Map<String, ?>> stats, String... paths) {
        for (String path : paths) {
            Gauge.builder(name(prefix, path), stats, s -> value(s.get(), path, Double.NaN))
                    .description(path + " in /health").register(m);
        }
    }

    /** Counters: values that only grow (hits, downloads, refusals). */
    public static void counters(MeterRegistry m, String prefix, Supplier<? extends Map<String, ?>> stats, String... paths) {
        for (String path : paths) {
            FunctionCounter.builder(name(prefix, path), stats, s -> value(s.get(), path, 0))
                    .description(path + " in /health").register(m);
        }
    }

    static String name(String prefix, String path) {
        return prefix + "_" + path.replace('.', '_');
    }

    static double value(Map<String, ?> stats, String path, double absent) {
        Object v = stats;
        for (String part : path.split("\\.")) {
            if (!(v instanceof Map<?, ?> map)) {
                return absent;
            }
            v = map.get(part);
        }
        return v instanceof Number n ? n.doubleValue() : absent;
    }
}
