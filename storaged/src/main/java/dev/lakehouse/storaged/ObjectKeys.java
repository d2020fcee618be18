package dev.lakehouse.storaged;

import dev.lakehouse.common.error.BadRequest;
import java.nio.charset.StandardCharsets;

/**
 * The rules an object key must meet: 1–1024 bytes of UTF-8, no leading {@code /}, no {@code ..} segment,
 * no control characters. Anything else is a 400 before S3 is asked.
 */
final class ObjectKeys {
    static final int MAX_KEY_BYTES = 1024;

    private ObjectKeys() {}

    /** Returns {@code key} if valid; else throws {@link BadRequest} saying why. */
    static String validate(String key) {
        if (key == null || key.isEmpty()) {
            throw new BadRequest("object key is empty");
        }
        String problem = problemOf(key, false);
        if (problem != null) {
            throw new BadRequest("invalid object key: " + problem);
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
            throw new BadRequest("invalid prefix: " + problem);
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
        for (String segment : key.split("/", -1)) {
            if (segment.equals("..")) {
                return "contains a '..' segment";
            }
        }
        return null;
    }
}
