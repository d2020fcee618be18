package dev.lakehouse.common.error;

import java.util.Map;

/** 502: an upstream service is unreachable or answered nonsense. */
public class BadGateway extends ApiException {
    public BadGateway(String message) {
        super(502, message);
    }

    public BadGateway(String message, Map<String, ?> details) {
        super(502, message, details, null);
    }

    public BadGateway(String message, Throwable cause) {
        super(502, message, Map.of(), cause);
    }
}
