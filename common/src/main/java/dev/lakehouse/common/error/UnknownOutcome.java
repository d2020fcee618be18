package dev.lakehouse.common.error;

import java.util.Map;

/**
 * 504 {@code unknown_outcome}: a write reached a peer but no answer came back, so it may have been applied.
 * Callers must not assume either way: retry with the same idempotency key, or read back to find out — never
 * treat it as "not done" (after Apache Iceberg's {@code CommitStateUnknownException}).
 */
public class UnknownOutcome extends GatewayTimeout {
    public UnknownOutcome(String message, Throwable cause) {
        super(message, Map.of("code", ErrorCodes.UNKNOWN_OUTCOME), cause);
    }

    public UnknownOutcome(String message, Map<String, ?> details) {
        super(message, withCode(details), (Throwable) null);
    }

    private static Map<String, Object> withCode(Map<String, ?> details) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>(details);
        m.put("code", ErrorCodes.UNKNOWN_OUTCOME);
        return m;
    }
}
