package dev.lakehouse.storaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.PutResult;
import dev.lakehouse.testkit.RawHttp;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Caps and the PUT concurrency limit against the real embedded S3: 413 from the headers alone (no
 * {@code 100 Continue}, no body read), 413 mid-stream with the multipart upload aborted and nothing left,
 * a &gt;256 MiB {@code _vectors/} round trip byte-identical, and 503 + Retry-After for the 5th PUT.
 */
class CapsAndConcurrencyTest {
    static final long MIB = 1L << 20;

    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3);

    /** Default caps (256 MiB / 4 GiB), 4 slots. */
    static ServiceApp app;
    /** Small caps (20 MiB / 40 MiB) so a mid-stream overrun spans several multipart parts quickly. */
    static ServiceApp small;
    static final OkHttpClient http = S3.signing(new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(60)).writeTimeout(Duration.ofSeconds(60)).build());

    @BeforeAll
    static void start() {
        app = FLEET.start(Service.STORAGED, StoragedMain::start);
        small = FLEET.another(Service.STORAGED, StoragedMain::start, Map.of(
                "storaged.max_put_bytes", Long.toString(20 * MIB),
                "storaged.max_put_bytes_vectors", Long.toString(40 * MIB)));
    }

    @Test
    void declaredLengthOverCapIs413BeforeAnyBodyIsRead() throws Exception {
        try (RawHttp h = new RawHttp(app.baseUrl(), S3.credential())) {
            RawHttp.Reply r = h.send("PUT", "/objects/caps/declared.bin", Map.of(
                    "Content-Length", Long.toString(256 * MIB + 1), "Expect", "100-continue")).read();
            assertEquals(413, r.status(), r.body());
            assertFalse(r.sawContinue(), "refused from the headers: no 100 Continue, so the client never sends the body");
            JsonNode json = Json.MAPPER.readTree(r.body());
            assertEquals(413, json.get("status").asInt());
            assertEquals(256 * MIB, json.get("max_bytes").asLong());
        }
        // without Expect: the client starts sending; the answer still comes from the headers, at once
        try (RawHttp h = new RawHttp(app.baseUrl(), S3.credential())) {
            h.send("PUT", "/objects/caps/declared2.bin", Map.of("Content-Length", Long.toString(256 * MIB + 1)));
            h.body(new byte[1024]);
            assertEquals(413, h.read().status());
        }
        assertEquals(0, keysUnder("caps/declared"));
    }

    @Test
    void exactlyTheCapIsAcceptedAndOneMoreIsNot() throws Exception {
        try (Response r = http.newCall(put(small, "caps/exact.bin", Bodies.streaming(20 * MIB, 20 * MIB, 1))).execute()) {
            assertEquals(201, r.code(), r.body().string());
        }
        try (Response r = http.newCall(put(small, "caps/exact1.bin", Bodies.streaming(20 * MIB + 1, 20 * MIB + 1, 1))).execute()) {
            assertEquals(413, r.code());
        }
        assertEquals(1, keysUnder("caps/exact"));
    }

    @Test
    void vectorsPrefixGetsItsOwnCap() throws Exception {
        // 30 MiB: over the general cap of `small`, under its vectors cap
        try (Response r = http.newCall(put(small, "_vectors/caps-ok.lhv1", Bodies.streaming(30 * MIB, 30 * MIB, 2))).execute()) {
            assertEquals(201, r.code(), r.body().string());
        }
        try (Response r = http.newCall(put(small, "caps/not-vectors.lhv1", Bodies.streaming(30 * MIB, 30 * MIB, 2))).execute()) {
            assertEquals(413, r.code());
        }
        S3.client().deleteObject(b -> b.bucket(S3.bucket()).key("_vectors/caps-ok.lhv1"));
    }

    @Test
    void chunkedBodyPassingTheCapIs413AndLeavesNothing() throws Exception {
        // 50 MiB chunked against a 20 MiB cap: two 8 MiB parts are already in S3 when the cap trips
        try (Response r = http.newCall(put(small, "caps/overrun/chunked.bin", Bodies.streaming(-1, 50 * MIB, 3))).execute()) {
            assertEquals(413, r.code());
            assertEquals(413, Json.MAPPER.readTree(r.body().string()).get("status").asInt());
        }
        assertEquals(0, keysUnder("caps/overrun/"), "no object");
        // the listing below does see an open upload (else "0 uploads" would prove nothing)
        String probe = S3.client().createMultipartUpload(b -> b.bucket(S3.bucket()).key("caps/overrun/probe")).uploadId();
        assertEquals(1, S3.client().listMultipartUploads(b -> b.bucket(S3.bucket()).prefix("caps/overrun/")).uploads().size());
        S3.client().abortMultipartUpload(b -> b.bucket(S3.bucket()).key("caps/overrun/probe").uploadId(probe));
        assertEquals(0, S3.client().listMultipartUploads(b -> b.bucket(S3.bucket()).prefix("caps/overrun/")).uploads().size(),
                "the multipart upload was aborted");
        assertEquals(0, inFlight(small), "the slot was given back");
    }

    @Test
    void chunkedBodyUnderTheCapIsStoredWhole() throws Exception {
        try (Response r = http.newCall(put(small, "caps/chunked-ok.bin", Bodies.streaming(-1, 19 * MIB + 7, 4))).execute()) {
            assertEquals(201, r.code());
            assertEquals(19 * MIB + 7, Json.MAPPER.readTree(r.body().string()).get("size").asLong());
        }
        try (InputStream in = new StorageClient(small.baseUrl(), S3.credential()).get("caps/chunked-ok.bin")) {
            assertEquals(Bodies.sha256(Bodies.generated(19 * MIB + 7, 4)), Bodies.sha256(in));
        }
    }

    /**
     * Above the 256 MiB general cap, under `_vectors/`, sent chunked so it takes the multipart path (8 MiB
     * parts, two in flight): streamed in and back out byte-identical.
     */
    @Test
    void vectorsObjectAbove256MiBRoundTripsByteIdentical() throws Exception {
        long size = 300 * MIB + 12345;
        StorageClient client = new StorageClient(app.baseUrl(), S3.credential());
        PutResult put;
        try (InputStream body = Bodies.generated(size, 42)) {
            put = client.put("_vectors/roundtrip.lhv1", body, -1);
        }
        assertEquals(size, put.size());
        assertTrue(put.etag().endsWith("-" + ((size + 8 * MIB - 1) / (8 * MIB))), "multipart ETag names its part count: " + put.etag());
        String expected = Bodies.sha256(Bodies.generated(size, 42));
        try (InputStream in = client.get("_vectors/roundtrip.lhv1")) {
            assertEquals(expected, Bodies.sha256(in), "GET through storaged");
        }
        try (InputStream in = S3.client().getObject(b -> b.bucket(S3.bucket()).key("_vectors/roundtrip.lhv1"))) {
            assertEquals(expected, Bodies.sha256(in), "what S3 holds");
        }
        // a range across a part boundary
        try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + "/objects/_vectors/roundtrip.lhv1")
                .header("Range", "bytes=" + (8 * MIB - 3) + "-" + (8 * MIB + 4)).build()).execute()) {
            assertEquals(206, r.code());
            byte[] want = new byte[8];
            try (InputStream g = Bodies.generated(size, 42)) {
                g.skipNBytes(8 * MIB - 3);
                g.readNBytes(want, 0, 8);
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(want, r.body().bytes());
        }
        client.delete("_vectors/roundtrip.lhv1");
    }

    /** A declared length of a part or more streams as one PutObject: no part buffers, one write in S3. */
    @Test
    void declaredBodyStreamsAsOnePutObject() throws Exception {
        long size = 30 * MIB + 3;
        try (Response r = http.newCall(put(small, "_vectors/declared.lhv1", Bodies.streaming(size, size, 8))).execute()) {
            assertEquals(201, r.code());
            JsonNode json = Json.MAPPER.readTree(r.body().string());
            assertEquals(size, json.get("size").asLong());
            assertFalse(json.get("etag").asText().contains("-"), "a single-PUT ETag, not a multipart one: " + json);
        }
        try (InputStream in = new StorageClient(small.baseUrl(), S3.credential()).get("_vectors/declared.lhv1")) {
            assertEquals(Bodies.sha256(Bodies.generated(size, 8)), Bodies.sha256(in));
        }
    }

    /** A client that dies mid-body leaves nothing: S3 refuses the short streamed PutObject. */
    @Test
    void truncatedDeclaredBodyLeavesNoObject() throws Exception {
        try (RawHttp h = new RawHttp(small.baseUrl(), S3.credential())) {
            h.send("PUT", "/objects/caps/truncated/obj.bin", Map.of("Content-Length", Long.toString(20 * MIB)));
            byte[] chunk = new byte[(int) MIB];
            for (int i = 0; i < 10; i++) {
                h.body(chunk);
            }
        } // socket closed after 10 of 20 MiB
        awaitInFlight(small, 0);
        // storaged answers 502 as soon as its S3 call fails, while the embedded S3 server (s3proxy's filesystem
        // store) may still be deleting its temp file "<key>-<uuid>", written beside the key and listed under the
        // prefix until then (seen once in CI: 1 key right after). What must hold is that nothing stays.
        awaitKeysUnder("caps/truncated/", 0);
        assertEquals(0, S3.client().listMultipartUploads(b -> b.bucket(S3.bucket()).prefix("caps/truncated/")).uploads().size());
    }

    @Test
    void fifthConcurrentPutIs503WithRetryAfterAndNoQueueing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Integer>> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(enqueue(put(app, "slots/held-" + i, Bodies.stalled(1024, 4096, release))));
            }
            awaitInFlight(app, 4);
            long t0 = System.nanoTime();
            try (Response r = http.newCall(put(app, "slots/fifth", Bodies.streaming(4096, 4096, 5))).execute()) {
                assertEquals(503, r.code());
                assertEquals("1", r.header("Retry-After"));
                assertEquals(503, Json.MAPPER.readTree(r.body().string()).get("status").asInt());
            }
            // answered while the four still hold their slots: it was not queued behind them
            assertEquals(1, release.getCount());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30));
        } finally {
            release.countDown();
        }
        for (CompletableFuture<Integer> f : held) {
            assertEquals(201, f.get(60, TimeUnit.SECONDS));
        }
        assertEquals(4, keysUnder("slots/held-"));
        assertEquals(0, keysUnder("slots/fifth"));
        awaitInFlight(app, 0);
        try (Response r = http.newCall(put(app, "slots/after", Bodies.streaming(10, 10, 6))).execute()) {
            assertEquals(201, r.code(), "slots are given back");
        }
    }

    static Request put(ServiceApp target, String key, okhttp3.RequestBody body) {
        return new Request.Builder().url(target.baseUrl() + "/objects/" + key).put(body).build();
    }

    static CompletableFuture<Integer> enqueue(Request request) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                f.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    f.complete(response.code());
                }
            }
        });
        return f;
    }

    static int inFlight(ServiceApp target) throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(target.baseUrl() + "/health").build()).execute()) {
            return Json.MAPPER.readTree(r.body().string()).get("puts_in_flight").asInt();
        }
    }

    static void awaitInFlight(ServiceApp target, int n) throws Exception {
        await("puts_in_flight", () -> inFlight(target), n, 30_000);
    }

    static void awaitKeysUnder(String prefix, int n) throws Exception {
        await("keys under " + prefix, () -> keysUnder(prefix), n, 10_000);
    }

    /** Polls {@code count} until it is {@code n}; an AssertionError naming {@code what} after {@code timeoutMillis}. */
    static void await(String what, java.util.concurrent.Callable<Integer> count, int n, long timeoutMillis)
            throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (count.call() != n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + " never reached " + n + " (is " + count.call() + ")");
            }
            Thread.sleep(20);
        }
    }

    static int keysUnder(String prefix) {
        return S3.client().listObjectsV2(b -> b.bucket(S3.bucket()).prefix(prefix)).keyCount();
    }
}
