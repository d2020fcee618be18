package dev.lakehouse.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The settings of the fleet live in one place each: JVM flags in deploy/jvm.env (read by scripts/fleet.sh and
 * every systemd unit), config keys where the code reads them — and every such key is documented and every
 * key of the example TOML is one the code reads.
 */
class DeployConsistencyTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final List<String> PROCESSES = List.of("gateway", "storaged", "catalogd", "ingestd", "queryd", "vectord", "embedd");
    /** A literal read ({@code config.integer("k", ...)}) or a declaration ({@code Key.integer("k", ...)}, read through it). */
    static final Pattern READ = Pattern.compile("\\b(?:config|Key)\\.(?:string|integer|longValue|bytes|decimal|bool|duration|get)\\(\\s*\"([a-z0-9_]+(?:\\.[a-z0-9_]+)*)\"");

    static String read(Path p) throws IOException {
        return Files.readString(p);
    }

    static String jvmOptsOf(String jvmEnv, String process) {
        Matcher m = Pattern.compile("(?m)^LAKEHOUSE_" + process.toUpperCase(Locale.ROOT) + "_JAVA_OPTS=\"([^\"]*)\"$").matcher(jvmEnv);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void everyProcessHasItsJvmFlagsInJvmEnvAndVectordGetsTheVectorApi() throws IOException {
        String env = read(ROOT.resolve("deploy/jvm.env"));
        for (String p : PROCESSES) {
            String opts = jvmOptsOf(env, p);
            assertTrue(opts != null && opts.contains("-Xmx") && opts.contains("-XX:+ExitOnOutOfMemoryError"), p + ": " + opts);
        }
        assertTrue(jvmOptsOf(env, "devs3") != null);
        assertTrue(jvmOptsOf(env, "vectord").contains("--add-modules jdk.incubator.vector"));
    }

    @Test
    void everyServiceLoadsItsClassesFromAnAppCdsArchiveNextToItsJarAndStartsWithoutOne() throws IOException {
        String env = read(ROOT.resolve("deploy/jvm.env"));
        for (String p : PROCESSES) {
            String opts = jvmOptsOf(env, p);
            // ADR 0031: -Xshare:auto so a missing or stale archive never stops a service from starting
            assertTrue(opts.contains("-XX:SharedArchiveFile=/opt/lakehouse/" + p + "/" + p + ".jsa -Xshare:auto"), p + ": " + opts);
        }
        String fleet = read(ROOT.resolve("scripts/fleet.sh"));
        assertTrue(fleet.contains("jsa_of() { echo \"$ROOT/$1/target/$1.jsa\"; }") && fleet.contains("-XX:ArchiveClassesAtExit=$(jsa_of \"$s\")"),
                "fleet.sh must train each archive where jvm.env's path maps to");
        assertTrue(read(ROOT.resolve("justfile")).contains("scripts/fleet.sh cds"), "`just build` / `just cds` must train the archives");
    }

    @Test
    void everySystemdUnitTakesItsJvmFlagsFromJvmEnvAndNoneOfItsOwn() throws IOException {
        for (String p : PROCESSES) {
            String unit = read(ROOT.resolve("deploy/systemd/lakehouse-" + p + ".service"));
            assertTrue(unit.contains("\nEnvironmentFile=/opt/lakehouse/jvm.env\n"), p + " unit lacks the jvm.env EnvironmentFile");
            Matcher exec = Pattern.compile("(?m)^ExecStart=(.*)$").matcher(unit);
            assertTrue(exec.find(), p);
            assertEquals("/usr/bin/java $LAKEHOUSE_" + p.toUpperCase(Locale.ROOT) + "_JAVA_OPTS -jar /opt/lakehouse/" + p + "/" + p + ".jar",
                    exec.group(1), p + " unit's ExecStart must take its flags from jvm.env only");
        }
        assertTrue(read(ROOT.resolve("deploy/systemd/README.md")).contains("deploy/jvm.env /opt/lakehouse/jvm.env"));
    }

    @Test
    void theFleetScriptTakesItsJvmFlagsFromJvmEnvAndNoneOfItsOwn() throws IOException {
        String fleet = read(ROOT.resolve("scripts/fleet.sh"));
        Matcher fn = Pattern.compile("(?s)java_opts\\(\\) \\{(.*?)\\n}").matcher(fleet);
        assertTrue(fn.find());
        assertTrue(fn.group(1).contains("deploy/jvm.env"), fn.group(1));
        assertTrue(!fn.group(1).contains("-Xmx") && !fn.group(1).contains("-XX:"), "fleet.sh must not carry its own flags: " + fn.group(1));
    }

    /** Every literal key the services' code reads (including common's fleet-wide reads). */
    static Set<String> keysReadByCode() throws IOException {
        Set<String> keys = new TreeSet<>();
        List<Path> roots = new ArrayList<>();
        for (String m : List.of("common", "devs3", "gateway", "storaged", "catalogd", "ingestd", "queryd", "vectord", "embedd")) {
            roots.add(ROOT.resolve(m).resolve("src/main/java"));
        }
        for (Path r : roots) {
            if (!Files.isDirectory(r)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(r)) {
                for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
                    Matcher m = READ.matcher(read(f));
                    while (m.find()) {
                        keys.add(m.group(1));
                    }
                }
            }
        }
        return keys;
    }

    @Test
    void everyKeyTheCodeReadsIsDocumented() throws IOException {
        StringBuilder docs = new StringBuilder();
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".md")).toList()) {
                docs.append(read(f));
            }
        }
        Set<String> keys = keysReadByCode();
        assertTrue(keys.contains("queryd.row_limit") && keys.contains("http.drain_timeout"), "scan found " + keys);
        List<String> undocumented = keys.stream()
                .filter(k -> !docs.toString().contains("`" + k + "`") && !docs.toString().contains("`" + k.substring(k.indexOf('.') + 1) + "`"))
                .toList();
        assertEquals(List.of(), undocumented, "config keys read by code but named in no docs/*.md (as `key`)");
    }

    @Test
    void everyKeyOfTheExampleTomlIsOneTheFleetReads() throws IOException {
        Map<String, String> example = Config.readToml(ROOT.resolve("deploy/lakehouse.example.toml"));
        Set<String> known = new TreeSet<>(keysReadByCode());
        known.addAll(Config.FLEET_KEYS);
        for (Service s : Service.values()) {
            Config.PER_SERVICE_KEYS.forEach(k -> known.add(s.id() + "." + k));
        }
        List<String> unknown = example.keySet().stream().filter(k -> !known.contains(k)).sorted().toList();
        assertEquals(List.of(), unknown, "deploy/lakehouse.example.toml sets keys nothing reads");
    }
}
