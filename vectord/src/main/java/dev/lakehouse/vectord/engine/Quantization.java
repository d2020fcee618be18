package dev.lakehouse.vectord.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How an index holds the vectors its graph walks on (ADR 0034). {@code INT8}: one signed byte per dimension
 * on the heap for the walk, the float originals off-heap for rescoring the top candidates.
 */
public enum Quantization {
    NONE, INT8;

    @JsonCreator
    public static Quantization parse(String s) {
        if (s == null) {
            return NONE;
        }
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("quantization must be one of none, int8 (got '" + s + "')");
        }
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
