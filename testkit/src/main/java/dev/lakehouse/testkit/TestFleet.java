package dev.lakehouse.testkit;

import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>A service a test must kill -9 runs in a JVM of its own instead ({@link #withChild}, {@link #startChild}:
 * {@code XxxMain.class}, started from this JVM's classpath with its keys as {@code LAKEHOUSE_*} variables, as
 * fleet.sh starts it): {@link #kill} ends it with no shutdown hook or finally block run, {@link #stop} sends
 * SIGTERM (a graceful stop), {@link #start(Service)} starts it again on the same port with the same keys;
 * {@link #running} says whether its process is alive. Its output goes to {@code <scratch>/logs/<svc>.log}. Services that call each other both ways (catalogd and
 * queryd/vectord for erasures) get their ports chosen up front with {@link #reserve}, so whichever starts first
 * knows the other's URL; a child's port is always chosen up front.
 */
public final class TestFleet implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    /** The discard port: connections are refused at once. */
    public static final String NOWHERE = "http://127.0.0.1:9";
    private static final Duration READY = Duration.ofSeconds(90);
    /** Heap of a child JVM: the services' tests need little, and the machine is shared. */
    private static final String CHILD_XMX = "-Xmx384m";

    private final S3Extension s3;
    private final Map<Service, List<ServiceApp>> running = new EnumMap<>(Service.class);
    private final Map<Service, Function<Config, ServiceApp>> mains = new EnumMap<>(Service.class);
    private final Map<Service, Map<String, String>> overrides = new EnumMap<>(Service.class);
    private final Map<Service, Class<?>> childMains = new EnumMap<>(Service.class);
    private final Map<Service, List<String>> childFlags = new EnumMap<>(Service.class);
    private final Map<Service, Child> children = new EnumMap<>(Service.class);
    private final Map<Service, Integer> reserved = new EnumMap<>(Service.class);
    /** In-process apps and children, in start order (stopped in reverse). */
    private final List<AutoCloseable> startOrder = new ArrayList<>();
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

    /** Declares {@code svc} to run in a JVM of its own ({@code main}: its {@code XxxMain} class), in declaration order. */
    public TestFleet withChild(Service svc, Class<?> main, Map<String, String> keys) {
        declared.add(() -> startChild(svc, main, keys));
        return this;
    }

    /**
     * Chooses the ports of {@code services} now, so services started before them are given their URLs (two
     * services that call each other); each then starts on its port.
     */
    public TestFleet reserve(Service... services) {
        for (Service svc : services) {
            reserved.computeIfAbsent(svc, s -> freePort());
        }
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

    /**
     * Starts {@code svc} in a JVM of its own ({@code main}: its class with {@code main(String[])}, on this JVM's
     * classpath) and waits until its {@code /health} answers 200; returns its base URL.
     */
    public String startChild(Service svc, Class<?> main, Map<String, String> keys) {
        return startChild(svc, main, keys, List.of(CHILD_XMX));
    }

    /** As {@link #startChild(Service, Class, Map)}, with the child's JVM flags (e.g. a small {@code -Xmx}). */
    public String startChild(Service svc, Class<?> main, Map<String, String> keys, List<String> jvmFlags) {
        childMains.put(svc, main);
        childFlags.put(svc, List.copyOf(jvmFlags));
        overrides.put(svc, new HashMap<>(keys));
        reserve(svc);
        launchChild(svc);
        return url(svc);
    }

    /**
     * Starts {@code svc} again (after {@link #stop(Service)} or {@link #kill}) with its main and the current
     * {@link #keys(Service)}; a child comes back on its port. Returns the in-process app, or null for a child.
     */
    public ServiceApp start(Service svc) {
        if (childMains.containsKey(svc)) {
            launchChild(svc);
            return null;
        }
        if (!mains.containsKey(svc)) {
            throw new IllegalStateException(svc.id() + " was never started with its main");
        }
        return launch(svc);
    }

    /** Starts one more instance of {@code svc} (e.g. a second storaged with small caps); the caller may close it early. */
    public ServiceApp another(Service svc, Function<Config, ServiceApp> main, Map<String, String> keys) {
        mains.putIfAbsent(svc, main);
        overrides.putIfAbsent(svc, new HashMap<>());
        Map<String, String> own = new HashMap<>(Map.of(svc.id() + ".port", "0")); // not the first one's reserved port
        own.putAll(keys);
        return track(svc, main.apply(config(svc, own)));
    }

    private ServiceApp launch(Service svc) {
        return track(svc, mains.get(svc).apply(config(svc, overrides.get(svc))));
    }

    private void launchChild(Service svc) {
        if (children.containsKey(svc)) {
            throw new IllegalStateException(svc.id() + " is running already");
        }
        Map<String, String> keys = keysFor(svc, overrides.get(svc));
        keys.put("http.shutdown_hook", "true"); // a process of its own: SIGTERM stops it gracefully, as in production
        keys.putAll(overrides.get(svc));
        Path log = log(svc);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(childFlags.get(svc));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), childMains.get(svc).getName()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith(Config.ENV_PREFIX)); // this fleet's keys only
        keys.forEach((k, v) -> pb.environment().put(Config.envName(k), v));
        Child child;
        try {
            Files.createDirectories(log.getParent());
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            child = new Child(svc, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + svc.id() + " in a JVM of its own", e);
        }
        try {
            child.awaitHealthy("http://127.0.0.1:" + reserved.get(svc) + "/health");
        } catch (AssertionError e) {
            child.kill();
            throw e;
        }
        children.put(svc, child);
        startOrder.add(child);
    }

    /** Where the output of {@code svc} goes when it runs in a JVM of its own (appended to on each start). */
    public Path log(Service svc) {
        return s3.tempDir().resolve("logs").resolve(svc.id() + ".log");
    }

    /** kill -9 of {@code svc}, running in a JVM of its own: no shutdown hook, no finally block runs. */
    public void kill(Service svc) {
        Child child = children.remove(svc);
        if (child == null) {
            throw new IllegalStateException(svc.id() + " does not run in a JVM of its own");
        }
        startOrder.remove(child);
        child.kill();
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
        return Config.of(keysFor(svc, keys));
    }

    private Map<String, String> keysFor(Service svc, Map<String, String> keys) {
        useS3();
        Map<String, String> c = new HashMap<>();
        for (Service peer : Service.values()) {
            if (peer != svc && peer != Service.S3) {
                c.put(peer.id() + ".url", running(peer) || reserved.containsKey(peer) ? url(peer) : NOWHERE);
            }
        }
        c.put(svc.id() + ".port", Integer.toString(reserved.getOrDefault(svc, 0)));
        c.put("http.shutdown_hook", "false");
        c.put("secrets_file", s3.secretsFile().toString());
        c.put("data_dir", s3.tempDir().resolve(svc.id()).toString());
        c.putAll(keys);
        return c;
    }

    public boolean running(Service svc) {
        Child child = children.get(svc);
        return !running.getOrDefault(svc, List.of()).isEmpty() || child != null && child.process().isAlive();
    }

    /** The first running instance of {@code svc}. */
    public ServiceApp app(Service svc) {
        List<ServiceApp> apps = running.getOrDefault(svc, List.of());
        if (apps.isEmpty()) {
            throw new IllegalStateException(svc.id() + (children.containsKey(svc) ? " runs in a JVM of its own" : " is not running"));
        }
        return apps.get(0);
    }

    /** The base URL of the first running {@code svc}, or of its reserved port (running or not). */
    public String url(Service svc) {
        if (reserved.containsKey(svc)) {
            return "http://127.0.0.1:" + reserved.get(svc);
        }
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

    /** Stops every instance of {@code svc} (gracefully, as on SIGTERM; a child is sent SIGTERM). */
    public void stop(Service svc) {
        Child child = children.remove(svc);
        if (child != null) {
            startOrder.remove(child);
            child.close();
        }
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
            try {
                startOrder.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop " + startOrder.get(i), e);
            }
        }
        startOrder.clear();
        running.clear();
        children.clear();
        if (usingS3) {
            usingS3 = false;
            try {
                s3.release();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop the embedded S3", e);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A service in a JVM of its own. */
    private record Child(Service svc, Process process, Path log) implements AutoCloseable {
        /** Waits for 200 from {@code url}; fails at once, with the log's tail, if the process ends first. */
        void awaitHealthy(String url) {
            long deadline = System.nanoTime() + READY.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError(svc.id() + " exited with " + process.exitValue() + " while starting: " + tail());
                }
                try {
                    Http.awaitOk(url, Duration.ofMillis(500));
                    return;
                } catch (AssertionError notYet) {
                    // not listening yet, or not healthy yet
                }
            }
            throw new AssertionError(url + " did not answer 200 within " + READY + ": " + tail());
        }

        void kill() {
            process.destroyForcibly();
            await();
        }

        /** SIGTERM: the service drains and runs its stop hooks, as under systemd. */
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(READY.toSeconds(), TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }

        private void await() {
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new AssertionError(svc.id() + " did not die");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(svc.id() + ": interrupted while waiting for it to die", e);
            }
        }

        private String tail() {
            try {
                String text = Files.readString(log);
                return text.substring(Math.max(0, text.length() - 2000));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        @Override
        public String toString() {
            return svc.id() + " (pid " + process.pid() + ")";
        }
    }
}
