package dev.lakehouse.common.config;

import java.time.Duration;
import java.util.List;

/**
 * The fleet-wide keys, declared once: those every service reads through {@code common} (bind, data dir,
 * secrets, HTTP server limits, the idempotency window) and those only the scripts, the systemd units or
 * logback read (port offset, run dir, token, log level, rebuild, bench dir), which no service may refuse.
 * docs/configuration.md holds one row per key, checked against {@link Key#docRow()} by a test.
 */
public final class FleetKeys {
    private FleetKeys() {}

    public static final Key<String> CONFIG = Key.string("config", null,
            "path of the TOML config file (`LAKEHOUSE_CONFIG`, or `--config PATH`)");
    public static final Key<String> BIND = Key.string("bind", "127.0.0.1", "interface every service listens on");
    public static final Key<Integer> PORT_OFFSET = Key.integer("port_offset", 0,
            "added to every default port (several fleets on one host)");
    public static final Key<String> DATA_DIR = Key.string("data_dir", "./data", "local state");
    public static final Key<String> RUN_DIR = Key.string("run_dir", "./run",
            "scripts only: pid files, logs and the dev secrets file of `scripts/fleet.sh`");
    public static final Key<String> SECRETS_FILE = Key.string("secrets_file", "/etc/lakehouse/secrets.toml",
            "S3 credentials (`[s3.primary]` endpoint, region, bucket, access_key, secret_key) and the fleet-internal"
            + " credential (`[fleet] internal_token`, ≥ 32 chars, required by every backend and the gateway; ADR 0017);"
            + " must be mode 0600 (a group/world-readable file is refused at start); `just up` writes a dev one (0600,"
            + " token generated once) to `run/secrets.toml`");
    public static final Key<String> TOKEN = Key.string("token", null,
            "`LAKEHOUSE_TOKEN`: bearer token the gateway requires on `/v1/*` (except `/v1/health`)");
    public static final Key<String> LOG_LEVEL = Key.string("log_level", "INFO",
            "logback: level of the fleet's own loggers (third-party loggers stay at WARN)");
    public static final Key<String> LOGGING_FORMAT = Key.string("logging.format", "text",
            "logback: `text` or `json` (one JSON object per line)");
    public static final Key<Boolean> REBUILD = Key.bool("rebuild", false,
            "scripts only: `LAKEHOUSE_REBUILD=1` makes `fleet.sh` rebuild the jars before starting");
    public static final Key<String> BENCH_DIR = Key.string("bench_dir", "./data/bench", "scripts only: the benches' scratch dir");
    public static final Key<String> DEVS3_JAVA_OPTS = Key.string("devs3.java_opts", null,
            "scripts only: JVM flags of the dev S3 server (default from `deploy/jvm.env`, as `<svc>.java_opts`)");
    public static final Key<String> CHROMIUM = Key.string("chromium", "/usr/bin/chromium", "consoletest only: the browser");
    public static final Key<String> CHROMEDRIVER = Key.string("chromedriver", "/usr/bin/chromedriver",
            "consoletest only: its WebDriver");

    public static final Key<Duration> HTTP_DRAIN_TIMEOUT = Key.duration("http.drain_timeout", Duration.ofSeconds(20),
            "graceful shutdown window");
    public static final Key<Boolean> HTTP_SHUTDOWN_HOOK = Key.bool("http.shutdown_hook", true, "stop on SIGTERM (tests turn it off)");
    public static final Key<Long> HTTP_INPUT_BUFFER_BYTES = Key.bytes("http.input_buffer_bytes", 64L << 10,
            "Jetty's input buffer, i.e. how much of a request body one read takes (Jetty's default is 8 KiB); held"
            + " only while a request is being read");
    public static final Key<Duration> HTTP_IDLE_TIMEOUT = Key.duration("http.idle_timeout", Duration.ofSeconds(30),
            "a connection with no bytes in either direction for this long is closed: an idle keep-alive, or a request"
            + " whose body stalled (then answered 408 `body_too_slow`)");
    public static final Key<Long> HTTP_MIN_BODY_RATE_BYTES = Key.bytes("http.min_body_rate_bytes", 64L << 10,
            "a request body must arrive at least this fast (bytes/s) or the request is cut with 408 `body_too_slow`"
            + " and whatever it held (a PUT slot, a thread) is freed; 0 = off");
    public static final Key<Duration> HTTP_MIN_BODY_RATE_WINDOW = Key.duration("http.min_body_rate_window",
            Duration.ofSeconds(10), "the rate is judged over each such span of time spent waiting for the client (time"
            + " the server itself takes between reads does not count)");
    public static final Key<Long> HTTP_MAX_JSON_BODY_BYTES = Key.bytes("http.max_json_body_bytes", 16L << 20,
            "largest JSON request body (413 above it; checked on `Content-Length` before reading, and while reading)");
    public static final Key<Duration> IDEMPOTENCY_WINDOW = Key.duration("idempotency.window", Duration.ofHours(24),
            "how long storaged, catalogd and ingestd remember an `Idempotency-Key` (records under"
            + " `_idempotency/{service}/`, swept after; ADR 0016)");

    public static final List<Key<?>> ALL = List.of(CONFIG, BIND, PORT_OFFSET, DATA_DIR, RUN_DIR, SECRETS_FILE, TOKEN,
            LOG_LEVEL, LOGGING_FORMAT, REBUILD, BENCH_DIR, DEVS3_JAVA_OPTS, CHROMIUM, CHROMEDRIVER,
            HTTP_DRAIN_TIMEOUT, HTTP_SHUTDOWN_HOOK, HTTP_INPUT_BUFFER_BYTES, HTTP_IDLE_TIMEOUT, HTTP_MIN_BODY_RATE_BYTES,
            HTTP_MIN_BODY_RATE_WINDOW, HTTP_MAX_JSON_BODY_BYTES, IDEMPOTENCY_WINDOW);
}
