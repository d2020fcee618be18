package dev.lakehouse.common.error;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client half of the error model: turns a non-2xx status and its JSON body back into the typed
 * exception the server threw (after Apache Iceberg's {@code rest/ErrorHandlers}).
 */
public final class ErrorHandlers {
    private ErrorHandlers() {}

    public static ApiException fromResponse(String service, int status, String body, String retryAfter) {
        String message = service + " answered " + status;
        Map<String, Object> details = new LinkedHashMap<>();
        try {
            JsonNode node = body == null || body.isBlank() ? null : Json.TOLERANT.readTree(body);
            if (node != null && node.isObject()) {
                if (node.hasNonNull("error")) {
                    message = node.get("error").asText();
                }
                node.fields().forEachRemaining(e -> {
                    if (!e.getKey().equals("error") && !e.getKey().equals("status")) { // "code" is kept: ApiException.code()
                        details.put(e.getKey(), Json.TOLERANT.convertValue(e.getValue(), Object.class));
                    }
                });
            }
        } catch (Exception notJson) {
            if (body != null && !body.isBlank()) {
                message = message + ": " + (body.length() > 200 ? body.substring(0, 200) + "…" : body);
            }
        }
        return forStatus(status, message, details, retryAfter);
    }

    public static ApiException forStatus(int status, String message, Map<String, ?> details, String retryAfter) {
        return switch (status) {
            case 400 -> new BadRequest(message, details);
            case 401 -> new Unauthorized(message, details);
            case 403 -> new Forbidden(message, details);
            case 404 -> new NotFound(message, details);
            case 409 -> new Conflict(message, details);
            case 413 -> new PayloadTooLarge(message, details);
            case 502 -> new BadGateway(message, details);
            case 503 -> retryAfter != null && retryAfter.matches("\\d+")
                    ? new ServiceUnavailable(message, details, Integer.parseInt(retryAfter))
                    : new ServiceUnavailable(message, details);
            case 504 -> ErrorCodes.UNKNOWN_OUTCOME.equals(details.get("code"))
                    ? new UnknownOutcome(message, details)
                    : new GatewayTimeout(message, details);
            default -> new ApiException(status, message, details, null);
        };
    }
}
