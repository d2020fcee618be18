package dev.lakehouse.common.config;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A config key declared once, as data (airlift's {@code @Config} without the reflection): its name, type,
 * default and doc. A module declares its keys in one class ({@code StoragedKeys}) and reads them with
 * {@link Config#get(Key)}, so a key's default lives in one place, its name is never a string at a call site,
 * and a test renders the docs' table rows from the declarations ({@link #docRow()}) and fails when the docs say
 * otherwise. {@code defaultDoc} is how the default reads in the docs (e.g. "256 MiB"), when not the value itself.
 */
public final class Key<T> {
    private final String name;
    private final String type;
    private final T dflt;
    private final String defaultDoc;
    private final String doc;
    private final boolean computed;
    private final BiFunction<Config, Key<T>, T> reader;

    private Key(String name, String type, T dflt, String defaultDoc, String doc, BiFunction<Config, Key<T>, T> reader) {
        this(name, type, dflt, defaultDoc, doc, false, reader);
    }

    private Key(String name, String type, T dflt, String defaultDoc, String doc, boolean computed,
            BiFunction<Config, Key<T>, T> reader) {
        if (!name.matches("[a-z0-9_]+(\\.[a-z0-9_]+)*")) {
            throw new IllegalArgumentException("not a config key name: " + name);
        }
        this.name = name;
        this.type = type;
        this.dflt = dflt;
        this.defaultDoc = defaultDoc;
        this.doc = Objects.requireNonNull(doc);
        this.computed = computed;
        this.reader = reader;
    }

    /**
     * This key with a default the composition root computes at start (the core count, a dir under
     * {@code data_dir}), shown in the docs as {@code defaultDoc}; it is read with {@link Config#get(Key, Object)},
     * and {@link Config#get(Key)} refuses it, so no call site can fall back to the placeholder declared here.
     */
    public Key<T> computed(String defaultDoc) {
        return new Key<>(name, type, dflt, defaultDoc, doc, true, reader);
    }

    public boolean isComputed() {
        return computed;
    }

    public static Key<String> string(String name, String dflt, String doc) {
        return new Key<>(name, "string", dflt, dflt == null ? "unset" : "`" + dflt + "`", doc,
                (c, k) -> c.string(k.name, k.dflt));
    }

    public static Key<Integer> integer(String name, int dflt, String doc) {
        return new Key<>(name, "integer", dflt, Integer.toString(dflt), doc, (c, k) -> c.integer(k.name, k.dflt));
    }

    public static Key<Long> longValue(String name, long dflt, String doc) {
        return new Key<>(name, "integer", dflt, Long.toString(dflt), doc, (c, k) -> c.longValue(k.name, k.dflt));
    }

    /** A size in bytes; the docs show it with its binary unit ({@code 268435456 (256 MiB)}). */
    public static Key<Long> bytes(String name, long dflt, String doc) {
        return new Key<>(name, "bytes", dflt, dflt + binaryUnit(dflt), doc, (c, k) -> c.longValue(k.name, k.dflt));
    }

    /** A decimal number (a share, a ratio). */
    public static Key<Double> decimal(String name, double dflt, String doc) {
        return new Key<>(name, "number", dflt, "`" + dflt + "`", doc, (c, k) -> c.decimal(k.name, k.dflt));
    }

    public static Key<Boolean> bool(String name, boolean dflt, String doc) {
        return new Key<>(name, "boolean", dflt, "`" + dflt + "`", doc, (c, k) -> c.bool(k.name, k.dflt));
    }

    /** A duration ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601). */
    public static Key<Duration> duration(String name, Duration dflt, String doc) {
        return new Key<>(name, "duration", dflt, "`" + shortText(dflt) + "`", doc, (c, k) -> c.duration(k.name, k.dflt));
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    public T defaultValue() {
        return dflt;
    }

    /** The default as the docs show it. */
    public String defaultDoc() {
        return defaultDoc;
    }

    public String doc() {
        return doc;
    }

    T read(Config config) {
        return reader.apply(config, this);
    }

    /** Whether {@code value} (a TOML or environment text) reads as this key's default; false when it does not parse. */
    public boolean readsAsDefault(String value) {
        try {
            return !computed && Objects.equals(dflt, read(Config.of(java.util.Map.of(name, value))));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * What is wrong with the example TOML ({@code deploy/lakehouse.example.toml}, flattened) for the keys of one
     * namespace ({@code "queryd"}; {@code null}: the namespace-less and fleet-wide ones): a key set there that
     * {@code keys} do not declare (besides {@code <svc>.port/url/java_opts}), or a value that is not its default.
     */
    public static java.util.List<String> exampleTomlProblems(java.util.List<Key<?>> keys, String namespace,
            java.util.Map<String, String> toml) {
        java.util.Map<String, Key<?>> byName = new java.util.HashMap<>();
        keys.forEach(k -> byName.put(k.name(), k));
        java.util.List<String> problems = new java.util.ArrayList<>();
        for (String name : new java.util.TreeSet<>(toml.keySet())) {
            Key<?> k = byName.get(name);
            if (k != null) {
                if (!k.isComputed() && !k.readsAsDefault(toml.get(name))) {
                    problems.add(name + " = " + toml.get(name) + " is not its default " + k.defaultDoc());
                }
            } else if (namespace == null ? isFleetWide(name)
                    : name.startsWith(namespace + ".") && !Config.PER_SERVICE_KEYS.contains(name.substring(namespace.length() + 1))) {
                problems.add(name + " is declared nowhere");
            }
        }
        return problems;
    }

    /**
     * For a module's keys test: the rows of {@code keys} that none of {@code docs} (files under {@code docs/} of
     * the repository at {@code root}) has as they should read, then the example TOML's problems for
     * {@code namespace} ({@link #exampleTomlProblems}); empty when docs and example agree with the declarations.
     */
    public static java.util.List<String> docsAndExampleProblems(java.util.List<Key<?>> keys, String namespace,
            java.nio.file.Path root, String... docs) throws java.io.IOException {
        StringBuilder text = new StringBuilder();
        for (String d : docs) {
            text.append(java.nio.file.Files.readString(root.resolve("docs").resolve(d)));
        }
        java.util.List<String> problems = new java.util.ArrayList<>();
        missingRows(keys, text.toString()).forEach(row -> problems.add(String.join("/", docs) + " should have: " + row));
        problems.addAll(exampleTomlProblems(keys, namespace, Config.readToml(root.resolve("deploy/lakehouse.example.toml"))));
        return problems;
    }

    private static boolean isFleetWide(String name) {
        String ns = name.contains(".") ? name.substring(0, name.indexOf('.')) : null;
        return ns == null || java.util.Arrays.stream(Service.values()).noneMatch(s -> s.id().equals(ns));
    }

    /** The key's row in a docs table: {@code | `name` | default | doc |}. */
    public String docRow() {
        return "| `" + name + "` | " + defaultDoc + " | " + doc + " |";
    }

    /** The rows of {@code keys} that {@code doc} (a Markdown text) lacks, as they should read. */
    public static java.util.List<String> missingRows(java.util.List<Key<?>> keys, String doc) {
        return keys.stream().map(Key::docRow).filter(row -> !doc.contains(row)).toList();
    }

    @Override
    public String toString() {
        return name;
    }

    static String shortText(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0ms";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    static String binaryUnit(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        long v = bytes;
        int u = -1;
        while (v >= 1024 && v % 1024 == 0 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u < 0 ? "" : " (" + v + " " + units[u] + ")";
    }
}
