package dev.lakehouse.storaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.gateway.GatewayMain;
import dev.lakehouse.testkit.RawHttp;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The refusals reach a client through the real gateway: it forwards with {@code Expect: 100-continue}, so
 * storaged's 413/503 (decided from the headers) comes back before the client has sent its body.
 */
class ThroughGatewayTest {
    static final long MIB = 1L << 20;

    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3);
    static ServiceApp storaged;
    static ServiceApp gateway;
    static String gw;
    static final OkHttpClient http = S3.signing(new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(60)).writeTimeout(Duration.ofSeconds(60)).build());

    @BeforeAll
    static void start() {
        storaged = FLEET.start(Service.STORAGED, StoragedMain::start, Map.of("storaged.max_put_bytes", Long.toString(20 * MIB)));
        gateway = FLEET.start(Service.GATEWAY, GatewayMain::start);
        gw = gateway.baseUrl() + "/v1/storage";
    }

    @Test
    void declaredOverCapIs413WithoutTheBodyBeingSent() throws Exception {
        try (RawHttp h = new RawHttp(gateway.baseUrl(), S3.credential())) {
            RawHttp.Reply r = h.send("PUT", "/v1/storage/objects/gw/declared.bin", Map.of(
                    "Content-Length", Long.toString(20 * MIB + 1), "Expect", "100-continue")).read();
            assertEquals(413, r.status(), r.body());
            assertFalse(r.sawContinue(), "the gateway did not ask for the body storaged refused");
            assertEquals("storaged", r.headers().get("x-lakehouse-service"));
            assertEquals(413, Json.MAPPER.readTree(r.body()).get("status").asInt());
        }
        try (RawHttp h = new RawHttp(gateway.baseUrl(), S3.credential())) {
            h.send("PUT", "/v1/storage/objects/gw/declared2.bin", Map.of("Content-Length", Long.toString(20 * MIB + 1)));
            h.body(new byte[256 * 1024]); // a client that does not wait for 100 Continue
            assertEquals(413, h.read().status());
        }
        assertEquals(0, keysUnder("gw/declared"));
    }

    @Test
    void chunkedOverCapIs413AndLeavesNothing() throws Exception {
        Request req = new Request.Builder().url(gw + "/objects/gw/overrun/chunked.bin")
                .put(Bodies.streaming(-1, 40 * MIB, 9)).build();
        try (Response r = http.newCall(req).execute()) {
            assertEquals(413, r.code());
        }
        assertEquals(0, keysUnder("gw/overrun/"));
        assertEquals(0, S3.client().listMultipartUploads(b -> b.bucket(S3.bucket()).prefix("gw/overrun/")).uploads().size());
    }

    @Test
    void fifthConcurrentPutIs503ThroughTheGateway() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Integer>> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                // > 64 KiB so the gateway forwards with Expect: 100-continue, as it does for real uploads
                held.add(CapsAndConcurrencyTest.enqueue(new Request.Builder().url(gw + "/objects/gw/slots/held-" + i)
                        .put(Bodies.stalled(128 * 1024, 512 * 1024, release)).build()));
            }
            CapsAndConcurrencyTest.awaitInFlight(storaged, 4);
            try (Response r = http.newCall(new Request.Builder().url(gw + "/objects/gw/slots/fifth")
                    .put(Bodies.streaming(512 * 1024, 512 * 1024, 1)).build()).execute()) {
                assertEquals(503, r.code());
                assertEquals("1", r.header("Retry-After"));
                assertEquals(503, Json.MAPPER.readTree(r.body().string()).get("status").asInt());
            }
            assertEquals(1, release.getCount(), "answered while the four were still uploading");
        } finally {
            release.countDown();
        }
        for (CompletableFuture<Integer> f : held) {
            assertEquals(201, f.get(60, TimeUnit.SECONDS));
        }
        assertEquals(4, keysUnder("gw/slots/held-"));
        assertEquals(0, keysUnder("gw/slots/fifth"));
    }

    @Test
    void multipartRoundTripThroughTheGateway() throws Exception {
        long size = 15 * MIB + 1; // two 8 MiB parts, under the 20 MiB cap of this storaged
        StorageClient client = new StorageClient(gw, S3.credential());
        try (InputStream in = Bodies.generated(size, 11)) {
            assertEquals(size, client.put("gw/multipart.bin", in, -1).size());
        }
        try (InputStream in = client.get("gw/multipart.bin")) {
            assertEquals(Bodies.sha256(Bodies.generated(size, 11)), Bodies.sha256(in));
        }
        assertTrue(client.exists("gw/multipart.bin"));
        client.delete("gw/multipart.bin");
        assertFalse(client.exists("gw/multipart.bin"));
    }

    /** The fleet's own state is read-only through the public API, whatever credential the client sends. */
    @Test
    void reservedPrefixesAreReadOnlyThroughTheGatewayAndWritableByTheFleet() throws Exception {
        StorageClient fleet = new StorageClient(storaged.baseUrl(), S3.credential());
        for (String prefix : dev.lakehouse.common.StorageLayout.RESERVED_PREFIXES) {
            String key = prefix + "gw/state.json";
            fleet.put(key, "{}".getBytes());
            for (String method : new String[] {"PUT", "DELETE"}) {
                Request.Builder b = new Request.Builder().url(gw + "/objects/" + key)
                        // a client claiming to be the fleet changes nothing: the gateway drops both headers
                        .header(dev.lakehouse.common.auth.FleetCredential.HEADER, S3.credential().headerValue())
                        .header(dev.lakehouse.common.auth.FleetCredential.ORIGIN_HEADER, "internal");
                b.method(method, method.equals("PUT") ? okhttp3.RequestBody.create("x".getBytes()) : null);
                try (okhttp3.Response r = new OkHttpClient().newCall(b.build()).execute()) {
                    assertEquals(403, r.code(), method + " " + key);
                    com.fasterxml.jackson.databind.JsonNode e = dev.lakehouse.common.json.Json.MAPPER.readTree(r.body().string());
                    assertEquals("reserved_prefix", e.get("code").asText());
                    assertEquals(prefix, e.get("prefix").asText());
                }
            }
            assertEquals("{}", new String(new StorageClient(gw, S3.credential()).getBytes(key)), "reads stay open: " + key);
            fleet.delete(key);
            assertFalse(fleet.exists(key), "the owning services still write and delete: " + key);
        }
    }

    @Test
    void storagedRefusesACallerWithoutTheFleetCredential() throws Exception {
        for (String method : new String[] {"GET", "PUT", "DELETE"}) {
            Request.Builder b = new Request.Builder().url(storaged.baseUrl() + "/objects/gw/direct.bin");
            b.method(method, method.equals("PUT") ? okhttp3.RequestBody.create("x".getBytes()) : null);
            try (okhttp3.Response r = new OkHttpClient().newCall(b.build()).execute()) {
                assertEquals(401, r.code(), method);
            }
        }
        assertEquals(0, keysUnder("gw/direct.bin"));
    }

    /** The gateway refuses dot segments instead of letting its HTTP client resolve them into another key. */
    @Test
    void dotSegmentsAre400NotRewritten() throws Exception {
        for (String path : new String[] {"/v1/storage/objects/gw/a/../b", "/v1/storage/objects/gw/a/%2e%2e/b",
                "/v1/storage/objects/gw/./b"}) {
            RawHttp.Reply r = RawHttp.exchange(gateway.baseUrl(), S3.credential(), "PUT", path, Map.of("Content-Length", "0"));
            assertEquals(400, r.status(), path);
        }
        assertEquals(0, keysUnder("gw/b"));
    }

    static int keysUnder(String prefix) {
        return S3.client().listObjectsV2(b -> b.bucket(S3.bucket()).prefix(prefix)).keyCount();
    }
}
