package dev.lakehouse.common.error;

import java.util.Map;

/** 400: the request is malformed or names something invalid. */
public class BadRequest extends ApiException {
    public BadRequest(String message) {
        super(400, message);
    }

    public BadRequest(String message, Map<String, ?> details) {
        super(400, message, details, null);
    }

    public BadRequest(String message, Throwable cause) {
        super(400, message, Map.of(), cause);
    }
}
