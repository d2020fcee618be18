package dev.lakehouse.common.error;

import java.util.Map;

/** 409: the request conflicts with current state (duplicate, stale version, schema drift). */
public class Conflict extends ApiException {
    public Conflict(String message) {
        super(409, message);
    }

    public Conflict(String message, Map<String, ?> details) {
        super(409, message, details, null);
    }

    public Conflict(String message, Throwable cause) {
        super(409, message, Map.of(), cause);
    }
}
