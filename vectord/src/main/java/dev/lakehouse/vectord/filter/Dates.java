package dev.lakehouse.vectord.filter;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** ISO-8601 dates and date-times as epoch milliseconds (a date is its midnight UTC; no zone means UTC). */
public final class Dates {
    private Dates() {}

    /**
     * False when {@code s} cannot be an ISO date (no digit or sign first, or longer than any ISO spelling): saves
     * the parser's exceptions when a payload index reads every string value.
     */
    public static boolean maybeDate(String s) {
        if (s.length() < 10 || s.length() > 64) {
            return false;
        }
        char c = s.charAt(0);
        return (c >= '0' && c <= '9') || c == '+' || c == '-';
    }

    /** The instant, or null when {@code s} is not an ISO date or date-time. */
    public static Double epochMillis(String s) {
        try {
            if (s.length() == 10) {
                return (double) LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return (double) OffsetDateTime.parse(s).toInstant().toEpochMilli();
            }
            return (double) LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return (double) Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
