package dev.lakehouse.common.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.json.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every exception a handler throws to the JSON error body, in one place. Never leaks a stack trace. */
public final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {}

    static void install(RoutesConfig routes) {
        routes.exception(ApiException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            if (e.status() >= 500) {
                log.warn("{} {} -> {}: {}", ctx.method(), ctx.path(), e.status(), e.getMessage());
            }
            write(ctx, e.status(), e.body());
        });
        routes.exception(JsonProcessingException.class, (e, ctx) ->
                write(ctx, 400, body(400, ErrorCodes.INVALID_JSON, "invalid JSON: " + describe(e))));
        routes.exception(HttpResponseException.class, (e, ctx) ->
                write(ctx, e.getStatus(), body(e.getStatus(), e.getMessage())));
        routes.exception(IllegalArgumentException.class, (e, ctx) ->
                write(ctx, 400, body(400, String.valueOf(e.getMessage()))));
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("{} {} failed", ctx.method(), ctx.path(), e);
            write(ctx, 500, body(500, "internal error: " + e.getClass().getSimpleName()));
        });
    }

    /** An error body with the generic code of {@code status}. */
    public static Map<String, Object> body(int status, String message) {
        return body(status, status == 404 ? ErrorCodes.ROUTE_NOT_FOUND : ErrorCodes.forStatus(status), message);
    }

    public static Map<String, Object> body(int status, String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("status", status);
        m.put("code", code);
        return m;
    }

    public static void write(Context ctx, int status, Map<String, Object> body) {
        String requestId = RequestIds.current();
        if (requestId != null && !body.containsKey("request_id")) {
            body = new LinkedHashMap<>(body);
            body.put("request_id", requestId);
        }
        ctx.status(status).contentType("application/json").result(Json.bytes(body));
    }

    /** A Jackson error in words a client can act on, without the parser's internal location dump. */
    static String describe(JsonProcessingException e) {
        String where = e instanceof MismatchedInputException mie && !mie.getPath().isEmpty()
                ? " at '" + mie.getPath().stream()
                        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining(".")) + "'"
                : "";
        if (e instanceof UnrecognizedPropertyException upe) {
            return "unknown field '" + upe.getPropertyName() + "'" + where;
        }
        if (e instanceof InvalidFormatException ife) {
            return "bad value " + ife.getValue() + where;
        }
        String msg = e.getOriginalMessage();
        if (msg != null && msg.length() > 200) {
            msg = msg.substring(0, 200) + "…";
        }
        return msg + where;
    }
}
