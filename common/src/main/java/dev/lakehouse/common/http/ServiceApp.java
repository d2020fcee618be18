package dev.lakehouse.common.http;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.FleetKeys;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.json.Json;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.RoutesConfig;
import io.javalin.json.JavalinJackson;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP bootstrap of all seven services: Javalin on the configured host/port, {@code GET /health},
 * {@code GET /metrics} ({@link Metrics}), request ids ({@link RequestIds}), the fleet-internal credential on every
 * other backend route ({@link FleetAuth}), bounds on what a client can hold (idle timeout, minimum body rate:
 * {@link MinRateBodyGuard}, optional {@link ConnectionLimits}), the JSON error model, a request log line, and
 * graceful shutdown on SIGTERM (stop accepting, finish in-flight requests, then run the service's stop hooks,
 * e.g. vectord's final save).
 */
public final class ServiceApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceApp.class);
    public static final String VERSION = versionOf();
    public static final String SERVICE_HEADER = "X-Lakehouse-Service";

    private final Service service;
    private final Javalin app;
    private final List<Runnable> stopHooks;
    private final long startedAt = System.currentTimeMillis();
    private volatile boolean stopped;

    private ServiceApp(Service service, Javalin app, List<Runnable> stopHooks) {
        this.service = service;
        this.app = app;
        this.stopHooks = stopHooks;
    }

    public static Builder builder(Service service, Config config) {
        return new Builder(service, config);
    }

    public int port() {
        return app.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public Service service() {
        return service;
    }

    /** Stops the server (draining in-flight requests), then runs stop hooks in reverse order of registration. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        log.info("{} stopping", service.id());
        try {
            app.stop();
        } finally {
            for (int i = stopHooks.size() - 1; i >= 0; i--) {
                try {
                    stopHooks.get(i).run();
                } catch (RuntimeException e) {
                    log.error("{} stop hook failed", service.id(), e);
                }
            }
            log.info("{} stopped", service.id());
        }
    }

    public static final class Builder {
        private final Service service;
        private final Config config;
        private final List<Consumer<RoutesConfig>> routes = new ArrayList<>();
        private final List<Runnable> stopHooks = new ArrayList<>();
        private Supplier<Map<String, Object>> health = Map::of;
        private Integer port;
        private final Metrics metrics;
        private final List<String> metricsPaths = new ArrayList<>(List.of(Metrics.PATH));
        private ConnectionLimits connectionLimits;
        private int maxThreads;

        private Builder(Service service, Config config) {
            this.service = service;
            this.config = config;
            this.metrics = new Metrics(service);
            stopHooks.add(metrics::close);
        }

        /** Runs {@code refresh} before every scrape of the metrics (meters whose set follows the service's state). */
        public Builder beforeScrape(Runnable refresh) {
            metrics.beforeScrape(refresh);
            return this;
        }

        /** Serves the metrics at {@code path} too (the gateway's {@code /v1/metrics}). */
        public Builder metricsAlsoAt(String path) {
            metricsPaths.add(path);
            return this;
        }

        /** The service's metrics registry, to register its own meters (gauges over its state, counters, timers). */
        public Builder metrics(Consumer<io.micrometer.core.instrument.MeterRegistry> register) {
            register.accept(metrics.registry());
            return this;
        }

        public Builder routes(Consumer<RoutesConfig> r) {
            routes.add(r);
            return this;
        }

        /** Extra fields for /health; a value of {@code "status": "degraded"} is passed through. */
        public Builder health(Supplier<Map<String, Object>> extra) {
            this.health = extra;
            return this;
        }

        public Builder onStop(Runnable hook) {
            stopHooks.add(hook);
            return this;
        }

        /** Bounds the connections per client address and in total (the gateway's; backends serve the fleet only). */
        public Builder connectionLimits(ConnectionLimits limits) {
            this.connectionLimits = limits;
            return this;
        }

        /** Jetty's thread pool size (default Javalin's 250): each request whose body is being read holds one. */
        public Builder maxThreads(int threads) {
            this.maxThreads = threads;
            return this;
        }

        /** Overrides the configured port; 0 picks a free one. Tests usually set {@code <svc>.port = 0} instead. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public ServiceApp start() {
            String host = config.bindHost();
            int p = port != null ? port : config.port(service);
            long started = System.currentTimeMillis();
            Supplier<Map<String, Object>> healthExtra = health;
            // read here, not in Jetty's callbacks (they run at start, after the unread-key check below)
            long drainMillis = config.get(FleetKeys.HTTP_DRAIN_TIMEOUT).toMillis();
            // the gateway is the public door (its own bearer token); every backend takes the fleet's callers only
            FleetAuth fleetAuth = service == Service.GATEWAY ? null : new FleetAuth(FleetCredential.load(config));
            java.util.Optional<MinRateBodyGuard> bodyGuard = MinRateBodyGuard.from(config);
            long idleTimeout = config.get(FleetKeys.HTTP_IDLE_TIMEOUT).toMillis();
            ConnectionLimits limits = connectionLimits;
            int threads = maxThreads;
            Javalin javalin = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.startup.showOldJavalinVersionWarning = false;
                cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
                // bodies are streamed by handlers; compression would buffer them
                cfg.http.compressionStrategy = CompressionStrategy.NONE;
                cfg.http.maxRequestSize = config.get(FleetKeys.HTTP_MAX_JSON_BODY_BYTES);
                // Jetty reads a request (and so a streamed body) one input buffer at a time: its 8 KiB default
                // cost a syscall per 8 KiB of a multi-GiB PUT, in the gateway and again in storaged
                int inputBuffer = Math.toIntExact(config.get(FleetKeys.HTTP_INPUT_BUFFER_BYTES));
                cfg.jetty.modifyHttpConfiguration(http -> http.setInputBufferSize(inputBuffer));
                cfg.jetty.host = host;
                cfg.jetty.port = p;
                // our own connector: the idle timeout (a keep-alive or a stalled body lasts no longer) and the limits
                cfg.jetty.addConnector((server, httpConfig) -> {
                    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                    connector.setHost(host);
                    connector.setPort(p);
                    connector.setIdleTimeout(idleTimeout);
                    if (limits != null) {
                        connector.addEventListener(limits);
                    }
                    return connector;
                });
                if (threads > 0) {
                    QueuedThreadPool pool = new QueuedThreadPool(threads, 8, 60_000);
                    pool.setName("JettyServerThreadPool");
                    cfg.jetty.threadPool = pool;
                }
                bodyGuard.ifPresent(guard -> cfg.jetty.modifyServletContextHandler(context ->
                        context.addFilter(new FilterHolder(guard), "/*", EnumSet.of(DispatcherType.REQUEST))));
                cfg.jetty.modifyServer(server -> {
                    server.setStopTimeout(drainMillis);
                    server.setErrorHandler(new JsonJettyErrorHandler());
                });
                cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonJettyErrorHandler.ForServletContext()));
                cfg.requestLogger.http((ctx, ms) -> {
                    if (ctx.path().equals(dev.lakehouse.common.routes.Routes.HEALTH) || metricsPaths.contains(ctx.path())) {
                        log.debug("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.statusCode(), Math.round(ms));
                    } else {
                        log.info("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.statusCode(), Math.round(ms));
                    }
                    var endpoint = ctx.endpoints().lastHttpEndpoint();
                    metrics.request(ctx.method().name(), endpoint != null ? endpoint.path : "unmatched", ctx.statusCode(), ms);
                    org.slf4j.MDC.remove(RequestIds.MDC_KEY);
                });
                ErrorMapper.install(cfg.routes);
                cfg.routes.before(ctx -> {
                    String id = RequestIds.acceptOrCreate(ctx.header(RequestIds.HEADER));
                    org.slf4j.MDC.put(RequestIds.MDC_KEY, id);
                    ctx.header(RequestIds.HEADER, id);
                });
                // says who answered; through the gateway it tells which backend served a request
                cfg.routes.before(ctx -> ctx.header(SERVICE_HEADER, service.id()));
                if (fleetAuth != null) {
                    cfg.routes.before(fleetAuth::check);
                }
                cfg.routes.get(dev.lakehouse.common.routes.Routes.HEALTH, ctx -> {
                    Map<String, Object> body = healthBody(service, started);
                    body.putAll(healthExtra.get());
                    ctx.status("ok".equals(body.get("status")) ? 200 : 503).json(body);
                });
                metricsPaths.forEach(path -> cfg.routes.get(path, ctx -> ctx.contentType(Metrics.CONTENT_TYPE).result(metrics.scrape())));
                routes.forEach(r -> r.accept(cfg.routes));
            });
            // tests run many services in one JVM and close them themselves: http.shutdown_hook = false
            boolean shutdownHook = config.get(FleetKeys.HTTP_SHUTDOWN_HOOK);
            // every key is read by now (composition roots read all of theirs before building the app)
            config.requireAllKeysRead(service);
            javalin.start();
            ServiceApp app = new ServiceApp(service, javalin, List.copyOf(stopHooks));
            if (shutdownHook) {
                Runtime.getRuntime().addShutdownHook(new Thread(app::close, service.id() + "-shutdown"));
            }
            log.info("{} {} listening on {}:{}", service.id(), VERSION, host, javalin.port());
            return app;
        }
    }

    static Map<String, Object> healthBody(Service service, long startedAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("service", service.id());
        body.put("version", VERSION);
        body.put("uptime_ms", System.currentTimeMillis() - startedAt);
        body.put("heap", heap());
        body.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
        return body;
    }

    /** Heap now, its peak since start (sum of heap pools' peaks) and its limit, in bytes. */
    public static Map<String, Long> heap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        Runtime rt = Runtime.getRuntime();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("used", rt.totalMemory() - rt.freeMemory());
        m.put("peak", peak);
        m.put("max", rt.maxMemory());
        return m;
    }

    private static String versionOf() {
        try (var in = ServiceApp.class.getResourceAsStream("/lakehouse-version.properties")) {
            var p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (java.io.IOException e) {
            return "dev";
        }
    }
}
