package dev.lakehouse.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Flat, dotted-key configuration: code defaults &lt; TOML file &lt; environment.
 *
 * <p>A TOML table {@code [storaged] port = 1} is the key {@code storaged.port}; its environment
 * override is {@code LAKEHOUSE_STORAGED_PORT} (upper case, dots to underscores). The file comes from
 * {@code --config PATH} or {@code LAKEHOUSE_CONFIG}. Defaults live next to the code that reads a key,
 * so {@link #string(String, String)} and friends take the default.
 *
 * <p>A key that is set but that nothing reads is a mistake (misspelled, or left over from an older version),
 * and silently ignoring it is how a wrong setting reaches production. So, after airlift, every read is
 * recorded, and {@link #requireAllKeysRead} — called by every service before it listens — fails start on a
 * key of its own (or a fleet-wide one) that it did not read, naming the nearest key it knows.
 */
public final class Config {
    public static final String ENV_PREFIX = "LAKEHOUSE_";

    /**
     * The fleet-wide keys ({@link FleetKeys}): read by every service through common, by some services only
     * ({@code idempotency.window}), or outside the services' Java code (scripts, systemd units, logback); no
     * service refuses them.
     */
    public static final Set<String> FLEET_KEYS = FleetKeys.ALL.stream().map(Key::name).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** Per-service keys read by others or by the scripts ({@code <svc>.url} by its callers, JVM flags by fleet.sh). */
    static final List<String> PER_SERVICE_KEYS = List.of("port", "url", "java_opts");

    private final Map<String, String> file;
    private final Map<String, String> env;
    /** Shared by every config derived with {@link #with}, so reads through any of them count. */
    private final Set<String> read;

    private Config(Map<String, String> file, Map<String, String> env, Set<String> read) {
        this.file = Map.copyOf(file);
        this.env = Map.copyOf(env);
        this.read = read;
    }

    private Config(Map<String, String> file, Map<String, String> env) {
        this(file, env, ConcurrentHashMap.newKeySet());
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
        return new Config(merged, envLeft, read);
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
        read.add(key);
        String v = env.get(envName(key));
        if (v == null) {
            v = file.get(key);
        }
        return Optional.ofNullable(v).filter(s -> !s.isBlank());
    }

    /** The value of a declared key, or its default (the read is recorded, as for every other read). */
    public <T> T get(Key<T> key) {
        if (key.isComputed()) {
            throw new IllegalStateException(key.name() + " has a default computed at start: read it with get(key, default)");
        }
        return key.read(this);
    }

    /** The value of a declared key, or {@code dflt} (a default computed at start, or an older key's value). */
    public <T> T get(Key<T> key, T dflt) {
        return get(key.name()).isPresent() ? key.read(this) : dflt;
    }

    /** The value of a declared key, if set. */
    public <T> Optional<T> find(Key<T> key) {
        return Optional.ofNullable(get(key, null));
    }

    /** Marks declared keys as known that this configuration does not read (e.g. another backend's). */
    public void declare(Key<?>... keys) {
        for (Key<?> k : keys) {
            read.add(k.name());
        }
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

    public double decimal(String key, double dflt) {
        return get(key).map(v -> parse(key, v, Double::parseDouble)).orElse(dflt);
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

    /** Marks keys as known that this configuration does not read (e.g. another backend's), so setting them is not refused. */
    public void declare(String... keys) {
        read.addAll(List.of(keys));
    }

    /**
     * Fails with every key set for {@code self} (its own {@code <svc>.*} keys and namespace-less ones, from
     * the file or {@code LAKEHOUSE_*} environment) that nothing has read, each with the nearest known key.
     * Keys of other services' namespaces are theirs to check.
     */
    public void requireAllKeysRead(Service self) {
        Set<String> known = new TreeSet<>(read);
        known.addAll(FLEET_KEYS);
        for (Service s : Service.values()) {
            PER_SERVICE_KEYS.forEach(k -> known.add(s.id() + "." + k));
        }
        Map<String, String> knownByEnv = new HashMap<>();
        known.forEach(k -> knownByEnv.put(envName(k), k));
        List<String> problems = new ArrayList<>();
        for (String key : new TreeSet<>(file.keySet())) {
            if (ownedBy(self, key.contains(".") ? key.substring(0, key.indexOf('.')) : null) && !known.contains(key)) {
                problems.add("unknown key '" + key + "' in the config file" + suggestion(key, known));
            }
        }
        for (String var : new TreeSet<>(env.keySet())) {
            if (!var.startsWith(ENV_PREFIX) || knownByEnv.containsKey(var)) {
                continue;
            }
            String rest = var.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
            String ns = null;
            for (Service s : Service.values()) {
                if (rest.startsWith(s.id() + "_")) {
                    ns = s.id();
                }
            }
            if (ownedBy(self, ns)) {
                String asKey = ns == null ? rest : ns + "." + rest.substring(ns.length() + 1);
                problems.add("unknown environment variable " + var + suggestion(asKey, known));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(self.id() + " refuses to start: " + String.join("; ", problems)
                    + " (every key is listed in docs/configuration.md and the service's doc)");
        }
    }

    /** Whether a key of namespace {@code ns} (null: none, i.e. fleet-wide) is {@code self}'s to check. */
    private static boolean ownedBy(Service self, String ns) {
        if (ns == null) {
            return true;
        }
        for (Service s : Service.values()) {
            if (s.id().equals(ns)) {
                return s == self;
            }
        }
        return true; // a namespace no service has: a misspelled one (e.g. "query.row_limit")
    }

    private static String suggestion(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key.toLowerCase(Locale.ROOT), k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(3, key.length() / 3)
                ? " (did you mean '" + best + "', env " + envName(best) + "?)" : "";
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    // ---- fleet-wide keys, read in one place ----

    /** Interface every listener binds to; loopback unless an operator opens it up. */
    public String bindHost() {
        return get(FleetKeys.BIND);
    }

    /**
     * Port of a service: {@code <svc>.port}, else its default plus {@code port_offset}. The offset lets
     * several fleets (e.g. parallel checkouts) share one machine without editing every port.
     */
    public int port(Service svc) {
        return integer(svc.id() + ".port", svc.defaultPort() + get(FleetKeys.PORT_OFFSET));
    }

    /** Base URL other services use to reach {@code svc}: {@code <svc>.url}, else loopback on its port. */
    public String url(Service svc) {
        return get(svc.id() + ".url").orElse("http://127.0.0.1:" + port(svc));
    }

    /** Root of local state (caches, model files, dev S3 data). */
    public Path dataDir() {
        return Path.of(get(FleetKeys.DATA_DIR));
    }

    /** Path of the secrets file with S3 credentials. */
    public Path secretsFile() {
        return Path.of(get(FleetKeys.SECRETS_FILE));
    }
}
