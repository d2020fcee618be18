package dev.lakehouse.common;

import dev.lakehouse.common.error.BadRequest;
import java.util.regex.Pattern;

/** The one rule for dataset names, shared by catalogd, ingestd and queryd: {@code [a-z][a-z0-9_]{0,62}}. */
public final class DatasetNames {
    private DatasetNames() {}

    public static final Pattern PATTERN = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }

    /** Returns {@code name}, or throws 400 naming the rule. */
    public static String require(String name) {
        if (!isValid(name)) {
            throw new BadRequest("invalid dataset name '" + name + "': must match " + PATTERN.pattern());
        }
        return name;
    }
}
