package dev.lakehouse.queryd.result;

import java.util.Locale;

/** The three answers queryd speaks, chosen by {@code Accept} (or {@code ?format=}). */
public enum ResultFormat {
    JSON("application/json"),
    CSV("text/csv"),
    ARROW("application/vnd.apache.arrow.stream");

    private final String mediaType;

    ResultFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** {@code ?format=} wins; else the first of Arrow, CSV named in Accept; else JSON. */
    public static ResultFormat negotiate(String formatParam, String accept) {
        if (formatParam != null && !formatParam.isBlank()) {
            return switch (formatParam.trim().toLowerCase(Locale.ROOT)) {
                case "json" -> JSON;
                case "csv" -> CSV;
                case "arrow" -> ARROW;
                default -> throw new IllegalArgumentException("format must be json, csv or arrow, got " + formatParam);
            };
        }
        String a = accept == null ? "" : accept.toLowerCase(Locale.ROOT);
        if (a.contains(ARROW.mediaType)) {
            return ARROW;
        }
        if (a.contains(CSV.mediaType)) {
            return CSV;
        }
        return JSON;
    }
}
