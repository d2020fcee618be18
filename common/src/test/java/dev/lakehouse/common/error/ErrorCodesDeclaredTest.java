package dev.lakehouse.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every code a service throws is declared once in {@link ErrorCodes}, so the gateway's OpenAPI check (which lists
 * ErrorCodes) covers it and a client can find the full list in one place. Scans the services' main sources for a
 * {@code "code", "..."} detail written as a literal.
 */
class ErrorCodesDeclaredTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Pattern LITERAL_CODE = Pattern.compile("\"code\"\\s*,\\s*\"([a-z0-9_]+)\"");

    static Set<String> declared() throws IllegalAccessException {
        Set<String> codes = new TreeSet<>();
        for (Field f : ErrorCodes.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                codes.add((String) f.get(null));
            }
        }
        return codes;
    }

    @Test
    void everyLiteralCodeInTheServicesMainCodeIsDeclaredInErrorCodes() throws Exception {
        Set<String> declared = declared();
        TreeMap<String, String> undeclared = new TreeMap<>();
        int seen = 0;
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).toList()) {
                try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                    for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
                        Matcher m = LITERAL_CODE.matcher(Files.readString(f));
                        while (m.find()) {
                            seen++;
                            if (!declared.contains(m.group(1))) {
                                undeclared.put(m.group(1), ROOT.relativize(f).toString());
                            }
                        }
                    }
                }
            }
        }
        assertTrue(seen > 0, "the scan found no code at all: it is not looking where the sources are");
        assertEquals(new TreeMap<String, String>(), undeclared, "codes thrown but not declared in ErrorCodes (code → file)");
    }

    @Test
    void noTwoConstantsNameTheSameCode() throws Exception {
        Set<String> seen = new TreeSet<>();
        for (Field f : ErrorCodes.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String code = (String) f.get(null);
                assertTrue(seen.add(code), "code " + code + " declared twice");
            }
        }
    }

    @Test
    void codesAreLowerSnakeCase() throws IllegalAccessException {
        for (String code : declared()) {
            assertTrue(code.matches("[a-z][a-z0-9_]*"), code);
        }
    }
}
