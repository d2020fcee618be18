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
            assertEquals(e.code(), back.code());
            Map<String, Object> backDetails = new java.util.HashMap<>(back.details());
            backDetails.remove("code");
            assertEquals(e.details(), backDetails);
        }
        ServiceUnavailable su = (ServiceUnavailable) ErrorHandlers.fromResponse("svc", 503, "{\"error\":\"busy\"}", "3");
        assertEquals(3, su.retryAfterSeconds());
    }

    @Test
    void everyErrorBodyCarriesAStableCodeAndTheClientGetsItBack() {
        NotFound specific = new NotFound("dataset 'x' not found", Map.of("code", ErrorCodes.DATASET_NOT_FOUND, "dataset", "x"));
        assertEquals(ErrorCodes.DATASET_NOT_FOUND, specific.body().get("code"));
        assertEquals("not_found", new NotFound("n").body().get("code"));
        assertEquals("service_unavailable", new ServiceUnavailable("s", 1).body().get("code"));
        ApiException back = ErrorHandlers.fromResponse("catalogd", 404, Json.write(specific.body()), null);
        assertTrue(back.is(ErrorCodes.DATASET_NOT_FOUND), back.code());
        ApiException bare = ErrorHandlers.fromResponse("catalogd", 404, "{\"error\":\"no route\",\"status\":404}", null);
        assertEquals(ErrorCodes.NOT_FOUND, bare.code());
    }

    @Test
    void anUnknownOutcomeCrossesTheWireAsItself() {
        UnknownOutcome u = new UnknownOutcome("register may or may not have happened", Map.of("dataset", "x"));
        assertEquals(504, u.status());
        ApiException back = ErrorHandlers.fromResponse("ingestd", 504, Json.write(u.body()), null);
        assertInstanceOf(UnknownOutcome.class, back);
        assertEquals("x", back.details().get("dataset"));
        assertInstanceOf(GatewayTimeout.class, ErrorHandlers.fromResponse("x", 504, Json.write(new GatewayTimeout("t").body()), null));
        assertEquals(GatewayTimeout.class, ErrorHandlers.fromResponse("x", 504, Json.write(new GatewayTimeout("t").body()), null).getClass());
    }

    @Test
    void aRetryAfterDoesNotDropTheCode() {
        ApiException back = ErrorHandlers.fromResponse("storaged", 503,
                Json.write(new ServiceUnavailable("busy", ErrorCodes.TOO_MANY_PUTS, 2).body()), "2");
        assertEquals(ErrorCodes.TOO_MANY_PUTS, back.code());
        assertEquals(2, ((ServiceUnavailable) back).retryAfterSeconds());
    }

    @Test
    void nonJsonBodiesStillGiveATypedErrorWithContext() {
        ApiException e = ErrorHandlers.fromResponse("storaged", 404, "<html>nope</html>", null);
        assertInstanceOf(NotFound.class, e);
        assertTrue(e.getMessage().startsWith("storaged answered 404"), e.getMessage());
        assertEquals(418, ErrorHandlers.fromResponse("x", 418, "", null).status());
    }
}
