package dev.lakehouse.common.error;

import java.util.Map;

/** 408: the client did not send its request (body) fast enough; the connection is closed after the answer. */
public class RequestTimeout extends ApiException {
    public RequestTimeout(String message, Map<String, ?> details) {
        super(408, message, details, null);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Connection", "close");
    }
}
