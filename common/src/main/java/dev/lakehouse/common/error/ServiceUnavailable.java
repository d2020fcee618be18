package dev.lakehouse.common.error;

import java.util.Map;

/** 503: overloaded or not ready; {@code Retry-After} tells the client when to try again. */
public class ServiceUnavailable extends ApiException {
    private final int retryAfterSeconds;

    public ServiceUnavailable(String message, int retryAfterSeconds) {
        super(503, message, Map.of(), null);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** With a code ({@link ErrorCodes}) and a Retry-After. */
    public ServiceUnavailable(String message, String code, int retryAfterSeconds) {
        super(503, message, Map.of("code", code), null);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ServiceUnavailable(String message, Map<String, ?> details, int retryAfterSeconds) {
        super(503, message, details, null);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ServiceUnavailable(String message, Map<String, ?> details) {
        super(503, message, details, null);
        this.retryAfterSeconds = 0;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Override
    public Map<String, String> headers() {
        return retryAfterSeconds > 0 ? Map.of("Retry-After", Integer.toString(retryAfterSeconds)) : Map.of();
    }
}
