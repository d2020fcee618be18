package dev.lakehouse.common.error;

import java.util.Map;

/** 401: a bearer token is required and was missing or wrong. */
public class Unauthorized extends ApiException {
    public Unauthorized(String message) {
        super(401, message);
    }

    public Unauthorized(String message, Map<String, ?> details) {
        super(401, message, details, null);
    }

    public Unauthorized(String message, Throwable cause) {
        super(401, message, Map.of(), cause);
    }
}
