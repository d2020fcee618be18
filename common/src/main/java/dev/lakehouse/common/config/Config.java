package dev.lakehouse.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Flat, dotted-key configuration: code defaults &lt; TOML file &lt; environment.
 *
 * <p>A TOML table {@code [storaged] port = 1} is the key {@code storaged.port}; its environment
 * override is {@code LAKEHOUSE_STORAGED_PORT} (upper case, dots to underscores). The file comes from
 * {@code --config PATH} or {@code LAKEHOUSE_CONFIG}. Defaults live next to the code that reads a key,
 * so {@link #string(String, String)} and friends take the default.
 */
public final class Config {
    public static final String ENV_PREFIX = "LAKEHOUSE_";

    private final Map<String, String> file;
    private final Map<String, String> env;

    private Config(Map<String, String> file, Map<String, String> env) {
        this.file = Map.copyOf(file);
        this.env = Map.copyOf(env);
    }

    /** Loads from command-line args ({@code --config PATH}), {@code LAKEHOUSE_CONFIG} and the process environment. */
    public static Config load(String[] args) {
        return load(args, System.getenv());
    }

    static Config load(String[] args, Map<String, String> environment) {
        String path = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                path = args[++i];
            } else if (args[i].startsWith("--config=")) {
                path = args[i].substring("--config=".length());
            }
        }
        if (path == null) {
            path = environment.get(ENV_PREFIX + "CONFIG");
        }
        Map<String, String> fromFile = path == null ? Map.of() : readToml(Path.of(path));
        return new Config(fromFile, environment);
    }

    /** A config with only the given values (as if from a file) and no environment; for tests and embedding. */
    public static Config of(Map<String, String> values) {
        return new Config(values, Map.of());
    }

    /** This config with the given keys overridden (they win over file and environment). */
    public Config with(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(file);
        merged.putAll(overrides);
        Map<String, String> envLeft = new HashMap<>(env);
        overrides.keySet().forEach(k -> envLeft.remove(envName(k)));
        return new Config(merged, envLeft);
    }

    public static Map<String, String> readToml(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("config file not found: " + path.toAbsolutePath());
        }
        try {
            JsonNode root = new TomlMapper().readTree(path.toFile());
            Map<String, String> out = new HashMap<>();
            flatten("", root, out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse TOML " + path + ": " + e.getMessage(), e);
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (!node.isNull()) {
            out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
        }
    }

    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Optional<String> get(String key) {
        String v = env.get(envName(key));
        if (v == null) {
            v = file.get(key);
        }
        return Optional.ofNullable(v).filter(s -> !s.isBlank());
    }

    public String string(String key, String dflt) {
        return get(key).orElse(dflt);
    }

    public int integer(String key, int dflt) {
        return get(key).map(v -> parse(key, v, Integer::parseInt)).orElse(dflt);
    }

    public long longValue(String key, long dflt) {
        return get(key).map(v -> parse(key, v, Long::parseLong)).orElse(dflt);
    }

    public boolean bool(String key, boolean dflt) {
        return get(key).map(v -> parse(key, v, Config::parseBool)).orElse(dflt);
    }

    /** Durations as ISO-8601 ({@code PT30S}) or a number with unit suffix: {@code 500ms}, {@code 30s}, {@code 5m}. */
    public Duration duration(String key, Duration dflt) {
        return get(key).map(v -> parse(key, v, Config::parseDuration)).orElse(dflt);
    }

    private static boolean parseBool(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
        };
    }

    static Duration parseDuration(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("pt") || s.startsWith("p")) {
            return Duration.parse(v.trim().toUpperCase(Locale.ROOT));
        }
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofSeconds(Long.parseLong(s));
        };
    }

    private static <T> T parse(String key, String v, java.util.function.Function<String, T> f) {
        try {
            return f.apply(v.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("config " + key + " (env " + envName(key) + "): bad value '" + v + "'", e);
        }
    }

    // ---- fleet-wide keys, read in one place ----

    /** Interface every listener binds to; loopback unless an operator opens it up. */
    public String bindHost() {
        return string("bind", "127.0.0.1");
    }

    /**
     * Port of a service: {@code <svc>.port}, else its default plus {@code port_offset}. The offset lets
     * several fleets (e.g. parallel checkouts) share one machine without editing every port.
     */
    public int port(Service svc) {
        return integer(svc.id() + ".port", svc.defaultPort() + integer("port_offset", 0));
    }

    /** Base URL other services use to reach {@code svc}: {@code <svc>.url}, else loopback on its port. */
    public String url(Service svc) {
        return get(svc.id() + ".url").orElse("http://127.0.0.1:" + port(svc));
    }

    /** Root of local state (caches, model files, dev S3 data). */
    public Path dataDir() {
        return Path.of(string("data_dir", "./data"));
    }

    /** Path of the secrets file with S3 credentials. */
    public Path secretsFile() {
        return Path.of(string("secrets_file", "/etc/lakehouse/secrets.toml"));
    }
}
