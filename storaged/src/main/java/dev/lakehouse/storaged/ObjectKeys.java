package dev.lakehouse.storaged;

import dev.lakehouse.common.error.BadRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The rules an object key must meet: 1–1024 bytes of UTF-8, no leading {@code /}, no {@code ..} segment, no
 * empty segment ({@code //}), no control characters. Anything else is a 400 with code {@code invalid_key}
 * before S3 is asked, so a key is stored exactly as sent or refused up front. The empty segment is refused
 * because the embedded S3 server cannot take it (its signature check reads such a path differently from the
 * SDK); every other key S3 accepts, the embedded server holds (devs3 FileKeys, ADR 0015).
 */
final class ObjectKeys {
    static final int MAX_KEY_BYTES = 1024;
    static final String INVALID_KEY = "invalid_key";

    private ObjectKeys() {}

    /**
     * The key a request names: Javalin's path parameter, with the trailing {@code /} it strips put back
     * ({@code a/} and {@code a} are two keys in S3, and storaged stored {@code a/} as {@code a}).
     */
    static String fromPath(String pathParam, String rawRequestUri) {
        return pathParam != null && rawRequestUri != null && rawRequestUri.endsWith("/") && !pathParam.endsWith("/")
                ? pathParam + "/" : pathParam;
    }

    /** Returns {@code key} if valid; else throws {@link BadRequest} saying why. */
    static String validate(String key) {
        if (key == null || key.isEmpty()) {
            throw new BadRequest("object key is empty", Map.of("code", INVALID_KEY));
        }
        String problem = problemOf(key, false);
        if (problem != null) {
            throw new BadRequest("invalid object key: " + problem, Map.of("code", INVALID_KEY));
        }
        return key;
    }

    /** A listing prefix: may be empty; otherwise the same rules as a key. */
    static String validatePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String problem = problemOf(prefix, true);
        if (problem != null) {
            throw new BadRequest("invalid prefix: " + problem, Map.of("code", INVALID_KEY));
        }
        return prefix;
    }

    private static String problemOf(String key, boolean prefix) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                return "control character U+" + String.format("%04X", (int) c) + " at position " + i;
            }
            if (c == '\uFFFD') {
                return "not valid UTF-8 (replacement character at position " + i + ")";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
                    return "not valid UTF-8 (unpaired surrogate at position " + i + ")";
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return "not valid UTF-8 (unpaired surrogate at position " + i + ")";
            }
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            return "longer than " + MAX_KEY_BYTES + " bytes (" + bytes + ")";
        }
        if (key.startsWith("/")) {
            return "starts with '/'";
        }
        if (key.contains("//")) {
            return "contains an empty segment ('//' at position " + key.indexOf("//") + ")";
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals("..")) {
                return "contains a '..' segment";
            }
        }
        return null;
    }
}
