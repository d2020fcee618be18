package dev.lakehouse.vectord.filter;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** ISO-8601 dates and date-times as epoch milliseconds (a date is its midnight UTC; no zone means UTC). */
final class Dates {
    private Dates() {}

    /** The instant, or null when {@code s} is not an ISO date or date-time. */
    static Double epochMillis(String s) {
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
