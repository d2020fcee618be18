package dev.lakehouse.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StatsMetersTest {
    @Test
    void gaugesAndCountersReadTheSameNestedStatsTheHealthShows() {
        AtomicLong running = new AtomicLong(2);
        AtomicLong hits = new AtomicLong(10);
        SimpleMeterRegistry m = new SimpleMeterRegistry();
        StatsMeters.gauges(m, "q", () -> Map.of("admission", Map.of("running", running.get()), "text", "x"), "admission.running", "text", "absent.path");
        StatsMeters.counters(m, "q_cache", () -> Map.of("hits", hits.get()), "hits");
        assertEquals(2, m.get("q_admission_running").gauge().value());
        running.set(5);
        hits.addAndGet(3);
        assertEquals(5, m.get("q_admission_running").gauge().value());
        assertEquals(13, m.get("q_cache_hits").functionCounter().count());
        assertTrue(Double.isNaN(m.get("q_text").gauge().value()), "a non-number is NaN, not an error");
        assertTrue(Double.isNaN(m.get("q_absent_path").gauge().value()));
    }
}
