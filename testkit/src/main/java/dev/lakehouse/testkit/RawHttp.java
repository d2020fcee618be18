package dev.lakehouse.testkit;

import dev.lakehouse.common.auth.FleetCredential;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately naive HTTP/1.1 client over a plain socket, for what client libraries won't do: send the exact
 * bytes given (a path with {@code ..} or raw percent-escapes, invalid UTF-8, oversized headers), declare a
 * Content-Length and send no body, and see whether a {@code 100 Continue} came before the final status.
 * Every request says {@code Connection: close}.
 */
public final class RawHttp implements AutoCloseable {
    private final URI base;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FleetCredential credential;

    /** A final answer; {@code sawContinue}: a {@code 100 Continue} came first. Header names are in lower case. */
    public record Reply(boolean sawContinue, int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** {@code credential}: sent on every request (a gateway drops it; backends require it), or null for none. */
    public RawHttp(String baseUrl, FleetCredential credential) throws IOException {
        this.base = URI.create(baseUrl);
        this.credential = credential;
        socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends the request line and headers (plus {@code Host}, {@code Connection: close} and the credential). */
    public RawHttp send(String method, String rawPath, Map<String, String> headers) throws IOException {
        return send(method, rawPath.getBytes(StandardCharsets.ISO_8859_1), headers);
    }

    public RawHttp send(String method, byte[] rawPath, Map<String, String> headers) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.write((method + " ").getBytes(StandardCharsets.US_ASCII));
        req.write(rawPath);
        StringBuilder sb = new StringBuilder(" HTTP/1.1\r\nHost: ").append(base.getHost()).append(':').append(base.getPort())
                .append("\r\nConnection: close\r\n");
        if (credential != null) {
            sb.append(FleetCredential.HEADER).append(": ").append(credential.headerValue()).append("\r\n");
        }
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        req.write(sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(req.toByteArray());
        out.flush();
        return this;
    }

    public RawHttp body(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Reads answers until a final (non-1xx) one; its body up to Content-Length, else de-chunked, else to EOF
     * (small bodies only). Status -1: the connection closed without an HTTP answer.
     */
    public Reply read() throws IOException {
        boolean sawContinue = false;
        while (true) {
            String status = line();
            if (status == null) {
                return new Reply(sawContinue, -1, Map.of(), "");
            }
            int code = Integer.parseInt(status.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(); h != null && !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                }
            }
            if (code == 100) {
                sawContinue = true;
                continue;
            }
            byte[] body;
            String cl = headers.get("content-length");
            if (cl != null) {
                body = in.readNBytes(Integer.parseInt(cl));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = dechunk();
            } else {
                body = in.readAllBytes();
            }
            return new Reply(sawContinue, code, headers, new String(body, StandardCharsets.UTF_8));
        }
    }

    private byte[] dechunk() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String size = line(); size != null; size = line()) {
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                break;
            }
            b.write(in.readNBytes(n));
            line(); // the CRLF after the chunk
        }
        return b.toByteArray();
    }

    /** One line without its CRLF; null at EOF before any byte. */
    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            return null;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** One request without a body, its answer. */
    public static Reply exchange(String baseUrl, FleetCredential credential, String method, String rawPath,
            Map<String, String> headers) throws IOException {
        try (RawHttp h = new RawHttp(baseUrl, credential)) {
            return h.send(method, rawPath, headers).read();
        }
    }

    /** One request with exactly these path bytes and, if not null, this body (with its Content-Length); no credential. */
    public static Reply send(URI base, String method, byte[] rawPath, Map<String, String> headers, byte[] body)
            throws IOException {
        Map<String, String> h = new LinkedHashMap<>(headers);
        if (body != null) {
            h.put("Content-Length", Integer.toString(body.length));
        }
        try (RawHttp raw = new RawHttp(base.toString(), null)) {
            raw.send(method, rawPath, h);
            if (body != null) {
                raw.body(body);
            }
            return raw.read();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
