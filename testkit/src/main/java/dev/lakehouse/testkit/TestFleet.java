package dev.lakehouse.testkit;

import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real services in this JVM on one {@link S3Extension}, each on a free loopback port, wired to each other the
 * way fleet.sh wires the processes. A test names the services it needs, in start order:
 *
 * <pre>
 * &#64;RegisterExtension static final S3Extension S3 = new S3Extension();
 * &#64;RegisterExtension static final TestFleet FLEET = new TestFleet(S3)      // starts them before the class,
 *         .with(STORAGED, StoragedMain::start)                                  // stops them after it
 *         .with(CATALOGD, CatalogdMain::start, Map.of("catalogd.rehydrate_retry", "100ms"));
 * </pre>
 *
 * <p>or, in a test's own {@code @BeforeAll} or without JUnit, {@code fleet.start(STORAGED, StoragedMain::start)}.
 * <pre>
 * </pre>
 *
 * <p>Every service gets {@code <svc>.port = 0}, no shutdown hook, the extension's secrets file (S3 keys and
 * the fleet credential), {@code data_dir = <scratch>/<svc>} and the URL of every service started before it;
 * a service that is not running is reached at a port nothing listens on, never at its default port (where a
 * developer's own fleet may be running). The test's keys win over all of that. (The testkit cannot name the
 * services' main classes: it is a test dependency of their modules, so the test passes {@code XxxMain::start}.)
 */
public final class TestFleet implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    /** The discard port: connections are refused at once. */
    public static final String NOWHERE = "http://127.0.0.1:9";
    private static final Duration READY = Duration.ofSeconds(90);

    private final S3Extension s3;
    private final Map<Service, List<ServiceApp>> running = new EnumMap<>(Service.class);
    private final Map<Service, Function<Config, ServiceApp>> mains = new EnumMap<>(Service.class);
    private final Map<Service, Map<String, String>> overrides = new EnumMap<>(Service.class);
    private final List<ServiceApp> startOrder = new ArrayList<>();
    private final List<Runnable> declared = new ArrayList<>();
    private boolean usingS3;

    public TestFleet(S3Extension s3) {
        this.s3 = s3;
    }

    /** Declares {@code svc} for the extension to start before the test class, in declaration order. */
    public TestFleet with(Service svc, Function<Config, ServiceApp> main) {
        return with(svc, main, Map.of());
    }

    public TestFleet with(Service svc, Function<Config, ServiceApp> main, Map<String, String> keys) {
        declared.add(() -> start(svc, main, keys));
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        declared.forEach(Runnable::run);
    }

    /** Holds the S3 server for the services (started first if JUnit runs this extension before it). */
    private void useS3() {
        if (!usingS3) {
            try {
                s3.use();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the embedded S3", e);
            }
            usingS3 = true;
        }
    }

    public S3Extension s3() {
        return s3;
    }

    /** Starts {@code svc} with the wiring above and waits until its {@code /health} answers 200. */
    public ServiceApp start(Service svc, Function<Config, ServiceApp> main) {
        return start(svc, main, Map.of());
    }

    /** As {@link #start(Service, Function)}, with the test's own keys; they are kept for {@link #start(Service)}. */
    public ServiceApp start(Service svc, Function<Config, ServiceApp> main, Map<String, String> keys) {
        mains.put(svc, main);
        overrides.put(svc, new HashMap<>(keys));
        return launch(svc);
    }

    /** Starts {@code svc} again (after {@link #stop(Service)}) with its main and the current {@link #keys(Service)}. */
    public ServiceApp start(Service svc) {
        if (!mains.containsKey(svc)) {
            throw new IllegalStateException(svc.id() + " was never started with its main");
        }
        return launch(svc);
    }

    /** Starts one more instance of {@code svc} (e.g. a second storaged with small caps); the caller may close it early. */
    public ServiceApp another(Service svc, Function<Config, ServiceApp> main, Map<String, String> keys) {
        mains.putIfAbsent(svc, main);
        overrides.putIfAbsent(svc, new HashMap<>());
        return track(svc, main.apply(config(svc, keys)));
    }

    private ServiceApp launch(Service svc) {
        return track(svc, mains.get(svc).apply(config(svc, overrides.get(svc))));
    }

    private ServiceApp track(Service svc, ServiceApp app) {
        running.computeIfAbsent(svc, s -> new ArrayList<>()).add(app);
        startOrder.add(app);
        Http.awaitOk(app.baseUrl() + "/health", READY);
        return app;
    }

    /** The test's keys of {@code svc}, to change before the next {@link #start(Service)}. */
    public Map<String, String> keys(Service svc) {
        return overrides.computeIfAbsent(svc, s -> new HashMap<>());
    }

    /**
     * The config {@link #start} gives {@code svc}, for a test that starts it itself (one that must not wait
     * for health, e.g. a storaged whose S3 is down).
     */
    public Config config(Service svc, Map<String, String> keys) {
        useS3();
        Map<String, String> c = new HashMap<>();
        for (Service peer : Service.values()) {
            if (peer != svc && peer != Service.S3) {
                c.put(peer.id() + ".url", running(peer) ? url(peer) : NOWHERE);
            }
        }
        c.put(svc.id() + ".port", "0");
        c.put("http.shutdown_hook", "false");
        c.put("secrets_file", s3.secretsFile().toString());
        c.put("data_dir", s3.tempDir().resolve(svc.id()).toString());
        c.putAll(keys);
        return Config.of(c);
    }

    public boolean running(Service svc) {
        return !running.getOrDefault(svc, List.of()).isEmpty();
    }

    /** The first running instance of {@code svc}. */
    public ServiceApp app(Service svc) {
        List<ServiceApp> apps = running.getOrDefault(svc, List.of());
        if (apps.isEmpty()) {
            throw new IllegalStateException(svc.id() + " is not running");
        }
        return apps.get(0);
    }

    public String url(Service svc) {
        return app(svc).baseUrl();
    }

    /** A typed client on the first running storaged, sending the fleet credential. */
    public StorageClient storage() {
        return new StorageClient(url(Service.STORAGED), s3.credential());
    }

    /** A typed client on the first running catalogd, sending the fleet credential. */
    public CatalogClient catalog() {
        return new CatalogClient(url(Service.CATALOGD), s3.credential());
    }

    /** A JSON call to the first running {@code svc} with the fleet credential. */
    public Http.Reply call(Service svc, String method, String path, Object json) {
        return Http.call(url(svc), method, path, json);
    }

    public Http.Reply call(Service svc, String method, String path, Object json, Map<String, String> headers) {
        return Http.call(url(svc), method, path, json, headers);
    }

    /** Stops every instance of {@code svc} (gracefully, as on SIGTERM). */
    public void stop(Service svc) {
        for (ServiceApp app : running.getOrDefault(svc, List.of())) {
            app.close();
            startOrder.remove(app);
        }
        running.remove(svc);
    }

    /** Stops one instance (e.g. one started by {@link #another}). */
    public void stop(ServiceApp app) {
        app.close();
        startOrder.remove(app);
        running.values().forEach(apps -> apps.remove(app));
        running.values().removeIf(List::isEmpty);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Stops the services in the reverse order of their start (registered after the S3Extension, before it stops). */
    @Override
    public void close() {
        for (int i = startOrder.size() - 1; i >= 0; i--) {
            startOrder.get(i).close();
        }
        startOrder.clear();
        running.clear();
        if (usingS3) {
            usingS3 = false;
            try {
                s3.release();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop the embedded S3", e);
            }
        }
    }
}
