package dev.lakehouse.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.auth.FleetCredential;
import io.javalin.Javalin;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RawHttpTest {
    static final String BIG = "é".repeat(100_000);
    static Javalin app;
    static String base;

    @BeforeAll
    static void start() {
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = 0;
            cfg.routes.get("/echo", ctx -> ctx.result(ctx.path() + " " + ctx.header(FleetCredential.HEADER)));
            cfg.routes.post("/len", ctx -> ctx.result(Integer.toString(ctx.bodyAsBytes().length)));
        }).start();
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    @Test
    void aChunkedBodyIsReadBackWholeAndAContinueIsSeen() throws Exception {
        // Jetty answers "Connection: close" requests unchunked, so a canned answer plays the chunking server
        byte[] body = BIG.getBytes(StandardCharsets.UTF_8);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    var in = s.getInputStream(); // read the request head, or closing resets the connection
                    for (int last4 = 0; last4 != 0x0d0a0d0a; ) {
                        last4 = (last4 << 8) | in.read();
                    }
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < body.length; i += 7000) {
                        int n = Math.min(7000, body.length - i);
                        out.write((Integer.toHexString(n) + ";ext=1\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body, i, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            RawHttp.Reply r = RawHttp.exchange("http://127.0.0.1:" + server.getLocalPort(), null, "GET", "/any", Map.of());
            t.join();
            assertTrue(r.sawContinue());
            assertEquals(200, r.status());
            assertEquals("chunked", r.header("Transfer-Encoding"));
            assertEquals(BIG, r.body());
        }
    }

    @Test
    void theCredentialIsSentWhenGivenAndABodyGetsItsLength() throws Exception {
        FleetCredential cred = FleetCredential.generate();
        RawHttp.Reply r = RawHttp.exchange(base, cred, "GET", "/echo", Map.of());
        assertEquals(200, r.status());
        assertFalse(r.sawContinue());
        assertEquals("/echo " + cred.headerValue(), r.body());
        RawHttp.Reply len = RawHttp.send(URI.create(base), "POST", "/len".getBytes(StandardCharsets.US_ASCII), Map.of(), new byte[1234]);
        assertEquals("1234", len.body());
    }
}
