package dev.lakehouse.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import io.javalin.http.HandlerType;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 1 GiB body each way through a gateway process capped at -Xmx128m: it can only pass if the gateway
 * streams. Bytes are checked end to end (CRC32C) and the gateway's own peak heap is read from /health.
 */
class GatewayStreamingHeapTest {
    static final long SIZE = 1L << 30;
    static final String XMX = "-Xmx128m";
    static ServiceApp backend;
    static Process gateway;
    static String gw;
    static final OkHttpClient http = new OkHttpClient.Builder()
            .readTimeout(Duration.ofMinutes(5)).writeTimeout(Duration.ofMinutes(5)).build();

    @BeforeAll
    static void start() throws Exception {
        backend = ServiceApp.builder(Service.STORAGED, TestGateways.config(Map.of("http.shutdown_hook", "false")))
                .port(0).routes(r -> {
                    r.addHttpHandler(HandlerType.PUT, "/objects/<key>", ctx -> {
                        CRC32C crc = new CRC32C();
                        long n = 0;
                        byte[] buf = new byte[1 << 16];
                        try (InputStream in = ctx.req().getInputStream()) {
                            int r2;
                            while ((r2 = in.read(buf)) != -1) {
                                crc.update(buf, 0, r2);
                                n += r2;
                            }
                        }
                        ctx.status(201).json(Map.of("size", n, "crc", crc.getValue()));
                    });
                    r.get("/objects/<key>", ctx -> {
                        ctx.header("Content-Length", Long.toString(SIZE));
                        writePattern(ctx.res().getOutputStream(), SIZE, 7);
                    });
                }).start();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("gateway", ".log");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), XMX,
                "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LAKEHOUSE_GATEWAY_PORT", Integer.toString(port));
        pb.environment().put("LAKEHOUSE_STORAGED_URL", backend.baseUrl());
        pb.environment().put("LAKEHOUSE_SECRETS_FILE", TestGateways.secrets().toString());
        gateway = pb.start();
        gw = "http://127.0.0.1:" + port;
        // ready when /health answers; a process that died fails at once, and the deadline is only a backstop for a
        // machine so loaded (load average ~30) that a JVM start takes minutes
        long deadline = System.currentTimeMillis() + 300_000;
        while (true) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("gateway exited with " + gateway.exitValue() + ": " + Files.readString(log));
            }
            try (Response r = http.newCall(new Request.Builder().url(gw + "/health").build()).execute()) {
                if (r.code() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("gateway did not answer /health within 5 min: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.destroy();
            gateway.waitFor();
        }
        backend.close();
    }

    /** Writes {@code size} pseudo-random bytes and returns their CRC32C. */
    static long writePattern(OutputStream out, long size, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[1 << 16];
        for (long left = size; left > 0; ) {
            for (int i = 0; i < buf.length; i += 8) {
                long v = rnd.nextLong();
                for (int j = 0; j < 8; j++) {
                    buf[i + j] = (byte) (v >>> (8 * j));
                }
            }
            int n = (int) Math.min(buf.length, left);
            crc.update(buf, 0, n);
            out.write(buf, 0, n);
            left -= n;
        }
        return crc.getValue();
    }

    @Test
    void oneGibEachWayThroughA128MiBGateway() throws Exception {
        long[] sentCrc = new long[1];
        RequestBody body = TestBodies.octets(SIZE, sink -> sentCrc[0] = writePattern(sink.outputStream(), SIZE, 42));
        long t0 = System.nanoTime();
        try (Response r = http.newCall(new Request.Builder().url(gw + "/v1/storage/objects/big.bin").put(body).build()).execute()) {
            assertEquals(201, r.code());
            JsonNode echo = Json.MAPPER.readTree(r.body().string());
            assertEquals(SIZE, echo.get("size").asLong());
            assertEquals(sentCrc[0], echo.get("crc").asLong());
        }
        double putSecs = (System.nanoTime() - t0) / 1e9;

        t0 = System.nanoTime();
        try (Response r = http.newCall(new Request.Builder().url(gw + "/v1/storage/objects/big.bin").build()).execute()) {
            assertEquals(200, r.code());
            CRC32C crc = new CRC32C();
            long n = 0;
            byte[] buf = new byte[1 << 16];
            try (InputStream in = r.body().byteStream()) {
                int k;
                while ((k = in.read(buf)) != -1) {
                    crc.update(buf, 0, k);
                    n += k;
                }
            }
            assertEquals(SIZE, n);
            assertEquals(writePattern(OutputStream.nullOutputStream(), SIZE, 7), crc.getValue());
        }
        double getSecs = (System.nanoTime() - t0) / 1e9;

        try (Response r = http.newCall(new Request.Builder().url(gw + "/health").build()).execute()) {
            JsonNode heap = Json.MAPPER.readTree(r.body().string()).get("heap");
            long peak = heap.get("peak").asLong();
            System.out.printf("gateway %s: 1 GiB PUT %.1fs (%.0f MiB/s), GET %.1fs (%.0f MiB/s), peak heap %d MiB%n",
                    XMX, putSecs, 1024 / putSecs, getSecs, 1024 / getSecs, peak >> 20);
            assertTrue(peak < 256L << 20, "gateway peak heap " + (peak >> 20) + " MiB");
        }
    }
}
