package dev.lakehouse.common.error;

import java.util.Map;

/** 404: the named object, dataset or index does not exist. */
public class NotFound extends ApiException {
    public NotFound(String message) {
        super(404, message);
    }

    public NotFound(String message, Map<String, ?> details) {
        super(404, message, details, null);
    }

    public NotFound(String message, Throwable cause) {
        super(404, message, Map.of(), cause);
    }
}
