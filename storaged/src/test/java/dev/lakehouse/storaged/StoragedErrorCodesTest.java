package dev.lakehouse.storaged;

import static dev.lakehouse.common.config.Service.STORAGED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.idempotency.IdempotencyRecord;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.testkit.Http;
import dev.lakehouse.testkit.RawHttp;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * storaged's refusals carry their stable codes on the wire (issue 26: a client switches on the code, so each one
 * is pinned here by its text).
 */
class StoragedErrorCodesTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start, Map.of("storaged.max_put_bytes", "1000"));

    static JsonNode refusal(int status, Request request) throws IOException {
        try (Response r = Http.SIGNED.newCall(request).execute()) {
            JsonNode body = Json.TOLERANT.readTree(r.body().bytes());
            assertEquals(status, r.code(), body.toString());
            assertEquals(status, body.path("status").asInt(), body.toString());
            return body;
        }
    }

    @Test
    void anObjectThatIsNotThereIsObjectNotFound() throws IOException {
        JsonNode body = refusal(404, new Request.Builder().url(FLEET.url(STORAGED) + "/objects/nothing/here").build());
        assertEquals("object_not_found", body.path("code").asText(), body.toString());
    }

    @Test
    void aPutDeclaringMoreThanTheCapIsPutCapExceeded() throws IOException {
        JsonNode body = refusal(413, new Request.Builder().url(FLEET.url(STORAGED) + "/objects/big/one")
                .put(RequestBody.create(new byte[2000])).build());
        assertEquals("put_cap_exceeded", body.path("code").asText(), body.toString());
        assertEquals(1000, body.path("max_bytes").asLong(), body.toString());
    }

    static Request put(String key, String idempotencyKey) {
        return new Request.Builder().url(FLEET.url(STORAGED) + "/objects/" + key).header("Idempotency-Key", idempotencyKey)
                .put(RequestBody.create(new byte[10])).build();
    }

    @Test
    void anIdempotencyKeyWithASpaceIsInvalidIdempotencyKey() throws IOException {
        JsonNode body = refusal(400, put("keyed/one", "has a space"));
        assertEquals(ErrorCodes.INVALID_IDEMPOTENCY_KEY, body.path("code").asText(), body.toString());
    }

    @Test
    void anIdempotencyRecordOfANewerFormatIsIdempotencyRecordUnreadable() throws Exception {
        // the record a later storaged would write, put around storaged where this one looks for it
        String key = "retry-from-the-future";
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        IdempotencyRecord future = new IdempotencyRecord(IdempotencyRecord.FORMAT_VERSION + 1, "put", key, "sha256:00",
                IdempotencyRecord.State.DONE, Instant.now(), 201, null, null);
        S3.client().putObject(b -> b.bucket(S3.bucket()).key("_idempotency/storaged/put/" + hex + ".json"),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(Json.write(future).getBytes(StandardCharsets.UTF_8)));
        JsonNode body = refusal(409, put("keyed/two", key));
        assertEquals(ErrorCodes.IDEMPOTENCY_RECORD_UNREADABLE, body.path("code").asText(), body.toString());
    }

    @Test
    void aRetryWhileTheFirstRequestStillSendsItsBodyIsIdempotencyKeyInFlight() throws Exception {
        try (RawHttp first = new RawHttp(FLEET.url(STORAGED), S3.credential())) {
            // half a body: storaged holds the key while it waits for the rest
            first.send("PUT", "/objects/keyed/slow", Map.of("Content-Length", "10", "Idempotency-Key", "held")).body(new byte[5]);
            for (int i = 0; i < 100 && FLEET.call(STORAGED, "GET", "/health", null).body().findValue("puts_in_flight").asInt() < 1; i++) {
                Thread.sleep(50);
            }
            Thread.sleep(200); // from the slot to the claim is a few instructions; make sure they ran
            JsonNode body = refusal(409, put("keyed/slow", "held"));
            assertEquals(ErrorCodes.IDEMPOTENCY_KEY_IN_FLIGHT, body.path("code").asText(), body.toString());
            first.body(new byte[5]);
            assertEquals(201, first.read().status(), "the first request, once its body is complete, is served");
        }
    }
}
