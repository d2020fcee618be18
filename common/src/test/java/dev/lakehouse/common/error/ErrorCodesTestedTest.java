package dev.lakehouse.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every code in {@link ErrorCodes} is pinned by some test: a test source names it (as {@code ErrorCodes.X} or as the
 * literal {@code "x"}), so a client's switch on it is backed by a test that fails when the code changes. A code added
 * without a test fails here. The scan is textual, not proof that the test provokes the code on the wire; the review of
 * the naming test does that.
 */
class ErrorCodesTestedTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String SELF = ErrorCodesTestedTest.class.getSimpleName() + ".java";

    /**
     * Codes no test can provoke from outside the service, each with the reason. Keep it short: a code that can be
     * provoked gets a test instead.
     */
    static final Map<String, String> UNPROVOKABLE = Map.ofEntries(
            Map.entry(ErrorCodes.STORED_SIZE_MISMATCH,
                    "S3 holding fewer bytes than it acknowledged: needs a lying object store (devs3 is honest)"),
            Map.entry(ErrorCodes.QUEUE_INTERRUPTED,
                    "queryd's admission wait interrupted: only a shutdown interrupts a request thread"),
            Map.entry(ErrorCodes.ERASURE_ROW_MISMATCH,
                    "a rewritten file whose row count is wrong: needs a DuckDB or eraser bug"),
            Map.entry(ErrorCodes.COMPACTION_SUPERSEDED,
                    "a dataset deleted between compaction's read and its commit: a race no test can time"),
            Map.entry(ErrorCodes.SQL_FORBIDDEN,
                    "DuckDB's own Permission Error, the second wall: queryd's sandbox refuses every statement that could"
                    + " reach it first (sql_sandbox, SandboxTest)"));

    /**
     * Codes that can be provoked but have no test yet: a shrinking backlog, never to grow. Move a code out of it by
     * writing the test that provokes it. Left: dialect_undetermined (no CSV found yet that DuckDB's sniffer reads as one
     * column, or starts past line 1, without a ragged row: every such body so far is a ragged_row).
     */
    static final Set<String> BACKLOG = Set.of(
            "dialect_undetermined");

    static Map<String, String> constantNames() throws IllegalAccessException {
        Map<String, String> byCode = new TreeMap<>();
        for (Field f : ErrorCodes.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                byCode.put((String) f.get(null), f.getName());
            }
        }
        return byCode;
    }

    /** All test sources of all modules, except this file (its allow-list names codes it must not count). */
    static String allTestSources() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/test/java"))).toList()) {
                try (Stream<Path> files = Files.walk(module.resolve("src/test/java"))) {
                    for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
                        if (!f.getFileName().toString().equals(SELF)) {
                            all.append(Files.readString(f)).append('\n');
                        }
                    }
                }
            }
        }
        return all.toString();
    }

    static Set<String> tested() throws Exception {
        String sources = allTestSources();
        Set<String> named = new TreeSet<>();
        for (Map.Entry<String, String> e : constantNames().entrySet()) {
            if (sources.contains("ErrorCodes." + e.getValue()) || sources.contains("\"" + e.getKey() + "\"")) {
                named.add(e.getKey());
            }
        }
        return named;
    }

    @Test
    void everyErrorCodeIsNamedBySomeTestOrAllowListedWithAReason() throws Exception {
        Set<String> tested = tested();
        assertTrue(tested.size() > 10, "the scan found almost no tested code: it is not looking where the tests are");
        Set<String> untested = new TreeSet<>(ErrorCodesDeclaredTest.declared());
        untested.removeAll(tested);
        untested.removeAll(UNPROVOKABLE.keySet());
        untested.removeAll(BACKLOG);
        assertEquals(Set.of(), untested, "codes of ErrorCodes that no test names: add a test that provokes each");
    }

    @Test
    void theAllowListNamesOnlyDeclaredCodesThatNoTestNames() throws Exception {
        Set<String> declared = ErrorCodesDeclaredTest.declared();
        Set<String> tested = tested();
        Set<String> stale = new TreeSet<>();
        Set<String> allowed = new TreeSet<>(UNPROVOKABLE.keySet());
        allowed.addAll(BACKLOG);
        for (String code : allowed) {
            if (!declared.contains(code) || tested.contains(code)) {
                stale.add(code);
            }
        }
        assertEquals(Set.of(), stale, "allow-listed or backlog codes that are gone from ErrorCodes or now tested: drop them");
    }
}
