package dev.lakehouse.storaged;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.ObjectInfo;
import dev.lakehouse.common.model.ObjectList;
import dev.lakehouse.common.model.PutResult;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** The object API end to end against the real embedded S3: PUT/GET/HEAD/DELETE/LIST, Range, 404, keys, pagination. */
class StoragedApiTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3);

    static ServiceApp app;
    static StorageClient client;
    static final OkHttpClient http = S3.signing(new OkHttpClient());

    @BeforeAll
    static void start() {
        app = FLEET.start(Service.STORAGED, StoragedMain::start);
        client = new StorageClient(app.baseUrl(), S3.credential());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putGetHeadDeleteRoundTrip() {
        byte[] body = bytes("hello storaged");
        PutResult put = client.put("api/round/trip.txt", body);
        assertEquals("api/round/trip.txt", put.key());
        assertEquals(body.length, put.size());
        assertNotNull(put.etag());

        assertArrayEquals(body, client.getBytes("api/round/trip.txt"));
        // what really landed in S3
        ResponseBytes<GetObjectResponse> inS3 = S3.client().getObjectAsBytes(b -> b.bucket(S3.bucket()).key("api/round/trip.txt"));
        assertArrayEquals(body, inS3.asByteArray());

        ObjectInfo info = client.head("api/round/trip.txt").orElseThrow();
        assertEquals(body.length, info.size());
        assertEquals(put.etag(), info.etag());
        assertNotNull(info.lastModified());

        client.delete("api/round/trip.txt");
        assertFalse(client.exists("api/round/trip.txt"));
        assertThrows(NotFound.class, () -> client.getBytes("api/round/trip.txt"));
        client.delete("api/round/trip.txt"); // idempotent
    }

    @Test
    void putAnswers201WithJsonAndGetCarriesEtag() throws IOException {
        Request put = new Request.Builder().url(app.baseUrl() + "/objects/api/raw.bin")
                .put(RequestBody.create(bytes("0123456789"))).build();
        String etag;
        try (Response r = http.newCall(put).execute()) {
            assertEquals(201, r.code());
            JsonNode json = Json.MAPPER.readTree(r.body().string());
            assertEquals("api/raw.bin", json.get("key").asText());
            assertEquals(10, json.get("size").asLong());
            etag = json.get("etag").asText();
        }
        try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + "/objects/api/raw.bin").build()).execute()) {
            assertEquals(200, r.code());
            assertEquals("\"" + etag + "\"", r.header("ETag"));
            assertEquals("10", r.header("Content-Length"));
            assertEquals("0123456789", r.body().string());
        }
        try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + "/objects/api/raw.bin").delete().build()).execute()) {
            assertEquals(204, r.code());
        }
        try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + "/objects/api/raw.bin").delete().build()).execute()) {
            assertEquals(204, r.code(), "DELETE of an absent key is still 204");
        }
    }

    @Test
    void rangeGetIs206WithContentRange() throws IOException {
        client.put("api/range.txt", bytes("abcdefghijklmnopqrstuvwxyz"));
        try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + "/objects/api/range.txt")
                .header("Range", "bytes=2-5").build()).execute()) {
            assertEquals(206, r.code());
            assertEquals("bytes 2-5/26", r.header("Content-Range"));
            assertEquals("4", r.header("Content-Length"));
            assertEquals("cdef", r.body().string());
        }
        try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + "/objects/api/range.txt")
                .header("Range", "bytes=-3").build()).execute()) {
            assertEquals(206, r.code());
            assertEquals("xyz", r.body().string());
        }
        try (java.io.InputStream in = client.getRange("api/range.txt", 23, 25)) {
            assertEquals("xyz", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + "/objects/api/range.txt")
                .header("Range", "bytes=100-200").build()).execute()) {
            assertEquals(416, r.code());
            assertEquals(416, Json.MAPPER.readTree(r.body().string()).get("status").asInt());
        }
    }

    @Test
    void absentObjectIs404Json() throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + "/objects/api/never/was").build()).execute()) {
            assertEquals(404, r.code());
            JsonNode json = Json.MAPPER.readTree(r.body().string());
            assertEquals(404, json.get("status").asInt());
            assertTrue(json.get("error").asText().contains("api/never/was"));
        }
        try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + "/objects/api/never/was").head().build()).execute()) {
            assertEquals(404, r.code());
        }
        assertTrue(client.head("api/never/was").isEmpty());
    }

    @Test
    void listPaginatesWithCursor() {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            String key = "api/list/item-" + i;
            client.put(key, bytes("v" + i));
            expected.add(key);
        }
        client.put("api/listother/x", bytes("not me"));
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            ObjectList page = client.list("api/list/", 3, cursor);
            assertTrue(page.objects().size() <= 3);
            for (ObjectInfo o : page.objects()) {
                assertTrue(seen.add(o.key()), "no key twice: " + o.key());
                assertEquals(2, o.size());
                assertNotNull(o.etag());
                assertNotNull(o.lastModified());
            }
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertEquals(expected, seen);
        assertEquals(3, pages);
        assertEquals(7, client.listAll("api/list/").size());
    }

    @Test
    void aGarbledOrForeignCursorIs400() {
        for (int i = 0; i < 3; i++) {
            client.put("api/cursor/k" + i, bytes("c" + i));
        }
        String cursor = client.list("api/cursor/", 1, null).nextCursor();
        assertNotNull(cursor);
        assertEquals(1, client.list("api/cursor/", 1, cursor).objects().size());
        assertThrows(dev.lakehouse.common.error.BadRequest.class, () -> client.list("api/other/", 1, cursor),
                "a cursor from another prefix's listing");
        for (String bad : List.of("garbage!!", "Zm9v", "%C3%28")) {
            assertThrows(dev.lakehouse.common.error.BadRequest.class, () -> client.list("api/cursor/", 1, bad), bad);
        }
    }

    @Test
    void listLimitOutOfRangeIs400() throws IOException {
        for (String limit : List.of("0", "1001", "x", "-1")) {
            try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + "/objects?limit=" + limit).build()).execute()) {
                assertEquals(400, r.code(), "limit=" + limit);
            }
        }
    }

    @Test
    void contentTypeIsKeptButFormTypesAreNot() throws IOException {
        Request json = new Request.Builder().url(app.baseUrl() + "/objects/api/typed.json")
                .put(RequestBody.create(bytes("{}"), okhttp3.MediaType.get("application/json"))).build();
        // what curl -d sends by default: stored as octets, and it must not confuse S3 into parsing a form
        Request form = new Request.Builder().url(app.baseUrl() + "/objects/api/form.bin")
                .put(RequestBody.create(bytes("a=b&c=d"), okhttp3.MediaType.get("application/x-www-form-urlencoded"))).build();
        try (Response a = http.newCall(json).execute(); Response b = http.newCall(form).execute()) {
            assertEquals(201, a.code());
            assertEquals(201, b.code(), b.body().string());
        }
        try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + "/objects/api/typed.json").build()).execute()) {
            assertEquals("application/json", r.header("Content-Type"));
        }
        try (Response r = http.newCall(new Request.Builder().url(app.baseUrl() + "/objects/api/form.bin").build()).execute()) {
            assertEquals("application/octet-stream", r.header("Content-Type"));
            assertEquals("a=b&c=d", r.body().string());
        }
    }

    @Test
    void lastPageHasNoCursor() {
        client.put("api/single/only", bytes("1"));
        ObjectList page = client.list("api/single/", 10, null);
        assertEquals(1, page.objects().size());
        assertNull(page.nextCursor());
    }

    static okhttp3.Response putWithKey(String key, byte[] body, String idempotencyKey) throws java.io.IOException {
        return http.newCall(new okhttp3.Request.Builder().url(app.baseUrl() + "/objects/" + key)
                .header("Idempotency-Key", idempotencyKey)
                .put(okhttp3.RequestBody.create(body, okhttp3.MediaType.get("application/octet-stream"))).build()).execute();
    }

    @Test
    void aPutRetriedWithTheSameKeyAndBytesAnswersTheOriginalEtagWithoutWritingAgainAndOtherBytesAre409() throws Exception {
        byte[] body = "first bytes".getBytes();
        String etag;
        try (okhttp3.Response r = putWithKey("idem/obj.bin", body, "put-1")) {
            assertEquals(201, r.code());
            etag = dev.lakehouse.common.json.Json.MAPPER.readTree(r.body().string()).get("etag").asText();
        }
        // someone else overwrites the object meanwhile: a replay must not write the retried bytes over it
        S3.client().putObject(b -> b.bucket(S3.bucket()).key("idem/obj.bin"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("later writer"));
        try (okhttp3.Response r = putWithKey("idem/obj.bin", body, "put-1")) {
            assertEquals(201, r.code());
            assertEquals("true", r.header("Idempotent-Replayed"));
            assertEquals(etag, dev.lakehouse.common.json.Json.MAPPER.readTree(r.body().string()).get("etag").asText());
        }
        assertArrayEquals("later writer".getBytes(), client.getBytes("idem/obj.bin"), "not written again");
        try (okhttp3.Response r = putWithKey("idem/obj.bin", "other bytes".getBytes(), "put-1")) {
            assertEquals(409, r.code());
            assertTrue(r.body().string().contains("idempotency_key_reused"));
        }
        assertArrayEquals("later writer".getBytes(), client.getBytes("idem/obj.bin"));
    }
}
