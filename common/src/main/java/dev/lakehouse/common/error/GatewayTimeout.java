package dev.lakehouse.common.error;

import java.util.Map;

/** 504: an upstream service did not answer in time. */
public class GatewayTimeout extends ApiException {
    public GatewayTimeout(String message) {
        super(504, message);
    }

    public GatewayTimeout(String message, Map<String, ?> details) {
        super(504, message, details, null);
    }

    public GatewayTimeout(String message, Map<String, ?> details, Throwable cause) {
        super(504, message, details, cause);
    }

    public GatewayTimeout(String message, Throwable cause) {
        super(504, message, Map.of(), cause);
    }
}
