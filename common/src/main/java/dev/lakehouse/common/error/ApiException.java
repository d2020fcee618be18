package dev.lakehouse.common.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error with an HTTP status and a stable {@link ErrorCodes code}. Thrown by handlers and mapped to {@code {"error": message, "status": N, ...details}}
 * in one place ({@link ErrorMapper}); thrown again by typed clients from a response ({@link ErrorHandlers}), so
 * a 409 from catalogd surfaces in ingestd as the same {@link Conflict}. The code travels in {@code details} under
 * {@code "code"} (so every subclass constructor can carry one); absent, it is the generic code of the status.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final Map<String, Object> details;

    public ApiException(int status, String message) {
        this(status, message, Map.of(), null);
    }

    public ApiException(int status, String message, Map<String, ?> details, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.details = Map.copyOf(details);
    }

    public int status() {
        return status;
    }

    /** The stable machine-readable code: the thrower's, else the generic one of the status. */
    public String code() {
        Object c = details.get("code");
        return c instanceof String s && !s.isBlank() ? s : ErrorCodes.forStatus(status);
    }

    /** Whether this error carries {@code code}. */
    public boolean is(String code) {
        return code().equals(code);
    }

    /** Extra fields for the JSON body (e.g. {@code expected}/{@code got} of a schema conflict). */
    public Map<String, Object> details() {
        return details;
    }

    /** Headers the response must carry (e.g. Retry-After). */
    public Map<String, String> headers() {
        return Map.of();
    }

    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", getMessage());
        body.put("status", status);
        body.put("code", code());
        details.forEach(body::putIfAbsent);
        return body;
    }
}
