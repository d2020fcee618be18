package dev.lakehouse.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A server-side exception survives the wire: body → status → the same typed exception with its details. */
class ErrorHandlersTest {
    @Test
    void roundTripsEveryMappedStatus() {
        List<ApiException> thrown = List.of(new BadRequest("b"), new Unauthorized("u"), new Forbidden("f"),
                new NotFound("n"), new Conflict("c", Map.of("expected", List.of("a"), "got", List.of("b"))),
                new PayloadTooLarge("p"), new BadGateway("g"), new ServiceUnavailable("s", 2), new GatewayTimeout("t"));
        for (ApiException e : thrown) {
            String body = Json.write(e.body());
            ApiException back = ErrorHandlers.fromResponse("svc", e.status(), body, e.headers().get("Retry-After"));
            assertEquals(e.getClass(), back.getClass());
            assertEquals(e.getMessage(), back.getMessage());
            assertEquals(e.status(), back.status());
            assertEquals(e.details(), back.details());
        }
        ServiceUnavailable su = (ServiceUnavailable) ErrorHandlers.fromResponse("svc", 503, "{\"error\":\"busy\"}", "3");
        assertEquals(3, su.retryAfterSeconds());
    }

    @Test
    void nonJsonBodiesStillGiveATypedErrorWithContext() {
        ApiException e = ErrorHandlers.fromResponse("storaged", 404, "<html>nope</html>", null);
        assertInstanceOf(NotFound.class, e);
        assertTrue(e.getMessage().startsWith("storaged answered 404"), e.getMessage());
        assertEquals(418, ErrorHandlers.fromResponse("x", 418, "", null).status());
    }
}
