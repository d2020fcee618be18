package dev.lakehouse.common.error;

import java.util.Map;

/** 413: the body exceeds the cap for its destination. */
public class PayloadTooLarge extends ApiException {
    public PayloadTooLarge(String message) {
        super(413, message);
    }

    public PayloadTooLarge(String message, Map<String, ?> details) {
        super(413, message, details, null);
    }

    public PayloadTooLarge(String message, Throwable cause) {
        super(413, message, Map.of(), cause);
    }
}
