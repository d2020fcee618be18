package dev.lakehouse.storaged;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.model.PutResult;
import dev.lakehouse.testkit.RawHttp;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad keys sent verbatim on the wire (no client-side normalising) are a 400 and never reach S3. */
class KeyValidationHttpTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(Service.STORAGED, StoragedMain::start);

    /** Keys that reach storaged's own validation: 400 with the JSON error body. */
    @ParameterizedTest
    @ValueSource(strings = {
        "/objects/a/../b", "/objects/../x", "/objects/a/%2E%2E/b", "/objects/a/..", "/objects//abs",
        "/objects/a%0Ab", "/objects/a%1Fb"})
    void badKeyIs400Json(String rawPath) throws Exception {
        assertAll400(rawPath, true);
    }

    /** Paths Jetty's URI parser refuses itself (NUL, DEL, invalid UTF-8 escapes): still 400, never stored. */
    @ParameterizedTest
    @ValueSource(strings = {"/objects/a%00b", "/objects/a%7Fb", "/objects/%FF%FE", "/objects/a%C3"})
    void undecodablePathIs400(String rawPath) throws Exception {
        assertAll400(rawPath, false);
    }

    private static void assertAll400(String rawPath, boolean json) throws Exception {
        for (String method : new String[] {"PUT", "GET", "HEAD", "DELETE"}) {
            RawHttp.Reply r = RawHttp.exchange(FLEET.url(Service.STORAGED), S3.credential(), method, rawPath,
                    method.equals("PUT") ? Map.of("Content-Length", "0") : Map.of());
            assertEquals(400, r.status(), method + " " + rawPath + " -> " + r.body());
            if (json && !method.equals("HEAD")) {
                assertTrue(r.body().contains("\"status\":400"), "JSON error body: " + r.body());
            }
        }
        assertEquals(0, S3.client().listObjectsV2(b -> b.bucket(S3.bucket())).keyCount(), "nothing reached S3");
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 1025})
    void keyLengthLimitIs1024Bytes(int length) throws Exception {
        String key = "k".repeat(length);
        RawHttp.Reply r = RawHttp.exchange(FLEET.url(Service.STORAGED), S3.credential(), "PUT", "/objects/" + key, Map.of("Content-Length", "0"));
        assertEquals(length <= 1024 ? 201 : 400, r.status(), r.body());
        if (length <= 1024) {
            S3.client().deleteObject(b -> b.bucket(S3.bucket()).key(key));
        }
    }

    @Test
    void keysWithTrailingSlashesLongSegmentsAndUnicodeAreStoredAsSentAndAnEmptySegmentIsRefusedUpFront() {
        StorageClient storage = new StorageClient(FLEET.url(Service.STORAGED), S3.credential());
        for (String key : List.of("fid/trailing/", "fid/" + "s".repeat(1_020), "fid/" + "é".repeat(300) + "/x",
                "fid/données/日本語/🙂.txt", "fid/x", "fid/x/y", "fid/.hidden/dot")) {
            byte[] body = ("bytes of " + key).getBytes(StandardCharsets.UTF_8);
            PutResult put = storage.put(key, body);
            assertEquals(body.length, put.size(), key);
            assertArrayEquals(body, storage.getBytes(key), key);
            var stored = S3.client().headObject(b -> b.bucket(S3.bucket()).key(key));
            assertEquals(body.length, stored.contentLength(), key + ": S3 holds what the 201 said");
            assertEquals(stored.eTag().replace("\"", ""), put.etag(), key);
            assertTrue(storage.listAll("fid/").stream().anyMatch(o -> o.key().equals(key)), key + " listed as sent");
            storage.delete(key);
        }
        BadRequest refused = assertThrows(BadRequest.class, () -> storage.put("fid/a//b", new byte[] {1}));
        assertTrue(refused.getMessage().contains("empty segment"), refused.getMessage());
        assertEquals("invalid_key", refused.details().get("code"));
        assertEquals(0, S3.client().listObjectsV2(b -> b.bucket(S3.bucket()).prefix("fid/")).keyCount());
    }
}
