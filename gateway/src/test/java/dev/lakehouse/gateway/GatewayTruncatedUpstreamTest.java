package dev.lakehouse.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A backend that dies in the middle of a body it declared: the client must never get what looks like a
 * complete answer. Before the gateway has committed (the first bytes sit in its 64 KiB response buffer)
 * it answers 502; after, the only signal left is a cut connection.
 */
class GatewayTruncatedUpstreamTest {
    static final long DECLARED = 10L << 20;
    static ServerSocket backend;
    static ServiceApp gateway;
    static final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(20)).build();

    @BeforeAll
    static void start() throws IOException {
        backend = new ServerSocket(0);
        Thread t = new Thread(GatewayTruncatedUpstreamTest::serve, "truncating-backend");
        t.setDaemon(true);
        t.start();
        gateway = TestGateways.allBackendsAt(backend.getLocalPort(), Map.of());
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        backend.close();
    }

    /** Answers GET /objects/&lt;n&gt; with a declared 10 MiB body of which it sends n bytes, then closes. */
    private static void serve() {
        while (!backend.isClosed()) {
            try (Socket s = backend.accept()) {
                String requestLine = readHead(s.getInputStream());
                long sent = Long.parseLong(requestLine.split(" ")[1].replaceAll(".*/", ""));
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + DECLARED + "\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[8192];
                for (long left = sent; left > 0; left -= chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
                out.flush();
            } catch (IOException e) {
                // next connection
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("eof in request head");
            }
            head.append((char) b);
        }
        return head.substring(0, head.indexOf("\r\n"));
    }

    private static void assertNoCompleteAnswer(long sentByBackend) {
        Request req = new Request.Builder().url(gateway.baseUrl() + "/v1/storage/objects/" + sentByBackend).build();
        try (Response r = http.newCall(req).execute()) {
            if (r.code() == 200) {
                // a 200 may already be on its way: then the body must fail, not end early as if complete
                assertThrows(IOException.class, () -> r.body().bytes());
            } else {
                assertNotEquals(200, r.code());
            }
        } catch (IOException cut) {
            // cut before the status line: fine
        }
    }

    @Test
    void cutBeforeTheGatewayCommitted() throws IOException {
        assertNoCompleteAnswer(1000);
        // nothing had left the gateway yet: a clean 502 naming the backend, not the backend's headers
        try (Response r = http.newCall(new Request.Builder().url(gateway.baseUrl() + "/v1/storage/objects/1000").build()).execute()) {
            assertEquals(502, r.code());
            JsonNode body = Json.MAPPER.readTree(r.body().string());
            assertEquals("storaged", body.get("service").asText());
            assertTrue(body.get("error").asText().contains("broke off"), body.toString());
        }
    }

    @Test
    void cutAfterTheGatewayCommitted() {
        assertNoCompleteAnswer(3L << 20);
    }
}
