package dev.lakehouse.common.http;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * {@code X-Request-Id}: accepted from the caller when it is a plain token (else replaced — a header is no place
 * for log injection), created otherwise, kept in the logging MDC while the request is handled (every log line
 * shows it), returned in the response and in error bodies, and sent on by the typed clients on every inner call
 * ({@code HttpClients}), so one id follows a request through the gateway and every service it reaches.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {}

    /** The caller's id if it is a plain token, else a fresh one. */
    public static String acceptOrCreate(String presented) {
        if (presented != null && PLAIN.matcher(presented).matches()) {
            return presented;
        }
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The id of the request this thread is handling, or null. */
    public static String current() {
        return MDC.get(MDC_KEY);
    }
}
