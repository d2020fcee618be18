package dev.lakehouse.common.error;

import java.util.Map;

/** 403: the request is understood but not allowed (e.g. SQL reading local files). */
public class Forbidden extends ApiException {
    public Forbidden(String message) {
        super(403, message);
    }

    public Forbidden(String message, Map<String, ?> details) {
        super(403, message, details, null);
    }

    public Forbidden(String message, Throwable cause) {
        super(403, message, Map.of(), cause);
    }
}
