package dev.lakehouse.common.http;

import dev.lakehouse.common.config.Service;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One service's Prometheus metrics (Micrometer's Prometheus registry, not hand-written exposition), served at
 * {@code GET /metrics} without credential: HTTP requests by route <em>template</em> (never the raw path: keys
 * and dataset names would be unbounded series and leak names), method and status, with latency histograms;
 * JVM memory, GC, threads, classes, CPU; and whatever the service registers itself. One registry per service
 * instance, so the services of a test JVM do not mix their figures.
 */
public final class Metrics implements AutoCloseable {
    public static final String PATH = dev.lakehouse.common.routes.Routes.METRICS;
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();

    Metrics(Service service) {
        registry.config().commonTags("service", service.id());
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Records one answered request; {@code route} is the matched template ({@code /datasets/{name}}) or "unmatched". */
    void request(String method, String route, int status, double millis) {
        Timer.builder("http_server_requests")
                .description("HTTP requests served, by route template, method and status")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry)
                .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
    }

    /**
     * Runs {@code refresh} before every scrape: for meters whose set changes with the service's state (one
     * series per vector index), registered and removed there rather than on every change.
     */
    public void beforeScrape(Runnable refresh) {
        beforeScrape.add(refresh);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
