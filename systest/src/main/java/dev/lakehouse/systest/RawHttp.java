package dev.lakehouse.systest;

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
 * A deliberately naive HTTP/1.1 client over a socket: sends the exact bytes given (raw path, invalid
 * UTF-8, oversized headers) — what a well-behaved client library would refuse or normalise.
 */
final class RawHttp {
    record Reply(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {}

    static Reply send(URI base, String method, byte[] rawPath, Map<String, String> headers, byte[] body) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            req.write((method + " ").getBytes(StandardCharsets.US_ASCII));
            req.write(rawPath);
            req.write(" HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            req.write(("Host: " + base.getHost() + ":" + base.getPort() + "\r\nConnection: close\r\n").getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, String> h : headers.entrySet()) {
                req.write((h.getKey() + ": " + h.getValue() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            if (body != null) {
                req.write(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            req.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                req.write(body);
            }
            out.write(req.toByteArray());
            out.flush();
            return read(s.getInputStream());
        }
    }

    private static Reply read(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        // ISO-8859-1 maps bytes 1:1 to chars, so chunk sizes (in bytes) index correctly
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return new Reply(-1, Map.of(), text);
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) {
                headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
            }
        }
        String body = text.substring(headEnd + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Reply(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int eol = s.indexOf("\r\n", i);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(s.substring(i, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(s, eol + 2, Math.min(s.length(), eol + 2 + size));
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
