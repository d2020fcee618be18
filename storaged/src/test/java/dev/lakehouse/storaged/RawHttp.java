package dev.lakehouse.storaged;

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
 * HTTP/1.1 over a plain socket, for what client libraries won't do: send a path verbatim ({@code ..},
 * raw percent-escapes), declare a Content-Length and send no body, and see whether a {@code 100 Continue}
 * came before the final status.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FleetCredential credential;

    record Reply(boolean sawContinue, int status, Map<String, String> headers, String body) {}

    /** Every request carries {@code credential} (a gateway drops it; storaged requires it). */
    RawHttp(String baseUrl, FleetCredential credential) throws IOException {
        this.credential = credential;
        URI u = URI.create(baseUrl);
        socket = new Socket(u.getHost(), u.getPort());
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends the request line and headers (plus {@code Host} and {@code Connection: close}). */
    RawHttp send(String method, String rawPath, Map<String, String> headers) throws IOException {
        StringBuilder sb = new StringBuilder(method).append(' ').append(rawPath).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n")
                .append(FleetCredential.HEADER).append(": ").append(credential.headerValue()).append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        out.write(sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    RawHttp body(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads responses until a final (non-1xx) one; its body is read up to Content-Length or EOF (small bodies only). */
    Reply read() throws IOException {
        boolean sawContinue = false;
        while (true) {
            String status = line();
            int code = Integer.parseInt(status.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            if (code == 100) {
                sawContinue = true;
                continue;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            String cl = headers.get("content-length");
            if (cl != null) {
                body.write(in.readNBytes(Integer.parseInt(cl)));
            } else if (!"chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body.write(in.readAllBytes());
            }
            return new Reply(sawContinue, code, headers, body.toString(StandardCharsets.UTF_8));
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            throw new IOException("connection closed before a response");
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    static Reply exchange(String baseUrl, FleetCredential credential, String method, String rawPath, Map<String, String> headers)
            throws IOException {
        try (RawHttp h = new RawHttp(baseUrl, credential)) {
            return h.send(method, rawPath, headers).read();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
