package dev.lakehouse.gateway;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.client.HttpClients;
import dev.lakehouse.common.client.StreamingRequestBody;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.RequestIds;
import dev.lakehouse.common.error.BadGateway;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.GatewayTimeout;
import dev.lakehouse.common.routes.Mount;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards one request to its backend and the answer back, streaming both bodies through bounded
 * buffers (okio's segments, Jetty's 64 KiB response buffer, {@link dev.lakehouse.common.client.IdleTimeoutSockets}' per-connection
 * buffers): a multi-GiB PUT or GET never sits in the gateway's heap.
 */
final class ProxyHandler {
    private static final Logger log = LoggerFactory.getLogger(ProxyHandler.class);
    private static final int BUFFER = 64 * 1024;
    /** RFC 9110 §7.6.1 hop-by-hop headers, plus those the client library sets itself. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
            "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect",
            // the gateway's bearer token is for the gateway; backends never see it
            "authorization",
            // set by the gateway itself: a client's own value must never reach a backend
            FleetCredential.HEADER.toLowerCase(Locale.ROOT), FleetCredential.ORIGIN_HEADER.toLowerCase(Locale.ROOT),
            FleetCredential.PRINCIPAL_HEADER.toLowerCase(Locale.ROOT));
    /** Above this, or with no declared length, ask the backend before sending the body (Expect: 100-continue),
     *  so a 413/503 it decides from the headers reaches the client instead of a broken pipe. */
    private static final long EXPECT_CONTINUE_ABOVE = 64 * 1024;

    /** A {@code .} or {@code ..} path segment, plain or percent-encoded. */
    private static final java.util.regex.Pattern DOT_SEGMENT =
            java.util.regex.Pattern.compile("/(?:\\.|%2[eE]){1,2}(?=/|$|\\?)");

    private final Map<Service, String> upstreams;
    private final OkHttpClient http;
    private final FleetCredential credential;
    private final String principal;

    ProxyHandler(Map<Service, String> upstreams, Duration timeout, FleetCredential credential) {
        this(upstreams, timeout, credential, "anonymous");
    }

    /** @param principal who every forwarded request is from (the bearer token's identity; the erasure log names it) */
    ProxyHandler(Map<Service, String> upstreams, Duration timeout, FleetCredential credential, String principal) {
        this.upstreams = upstreams;
        this.credential = credential;
        this.principal = principal;
        // OkHttp's own timeouts off: they cost a watchdog signal per 8 KiB; the sockets keep the idle timeout
        this.http = HttpClients.idleTimed(timeout).newBuilder()
                .retryOnConnectionFailure(false)
                .build();
    }

    void forward(Context ctx, Mount mount) throws IOException {
        HttpServletRequest req = ctx.req();
        if (DOT_SEGMENT.matcher(req.getRequestURI()).find()) {
            // OkHttp would resolve it away and send the backend a different path than the client asked for
            throw new BadRequest("path contains a '.' or '..' segment");
        }
        String base = upstreams.get(mount.service());
        String query = req.getQueryString();
        HttpUrl url = HttpUrl.parse(base + mount.upstreamPath(req.getRequestURI()) + (query == null ? "" : "?" + query));
        if (url == null) {
            throw new BadGateway("bad upstream URL for " + mount.service().id() + ": " + base);
        }
        Request.Builder rb = new Request.Builder().url(url);
        for (String name : Collections.list(req.getHeaderNames())) {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                for (String value : Collections.list(req.getHeaders(name))) {
                    rb.addHeader(name, value);
                }
            }
        }
        if (req.getHeader("Accept-Encoding") == null) {
            rb.header("Accept-Encoding", "identity"); // else OkHttp would gzip and inflate for nothing
        }
        rb.header(RequestIds.HEADER, RequestIds.current()); // the id the gateway accepted or made, not the raw header
        rb.header("X-Forwarded-For", req.getRemoteAddr());
        rb.header("X-Forwarded-Host", String.valueOf(req.getHeader("Host")));
        // the backend lets the gateway in, and knows the request is a user's (no writes to reserved prefixes)
        credential.sign(rb).header(FleetCredential.ORIGIN_HEADER, FleetCredential.ORIGIN_PUBLIC)
                .header(FleetCredential.PRINCIPAL_HEADER, principal);

        String method = req.getMethod();
        RequestBody body = requestBody(req, method);
        if (body != null && (body.contentLength() < 0 || body.contentLength() > EXPECT_CONTINUE_ABOVE)) {
            rb.header("Expect", "100-continue");
        }
        rb.method(method, body);

        Response response;
        try {
            response = http.newCall(rb.build()).execute();
        } catch (SocketTimeoutException e) {
            throw new GatewayTimeout(mount.service().id() + " did not answer in time");
        } catch (InterruptedIOException e) {
            throw new GatewayTimeout(mount.service().id() + " call interrupted");
        } catch (IOException e) {
            throw new BadGateway(mount.service().id() + " is unreachable: " + e.getMessage(),
                    Map.of("service", mount.service().id()));
        }
        try (response) {
            relay(ctx, response, method.equals("HEAD"), mount.service());
        }
    }

    private static RequestBody requestBody(HttpServletRequest req, String method) throws IOException {
        long length = req.getContentLengthLong();
        boolean chunked = "chunked".equalsIgnoreCase(req.getHeader("Transfer-Encoding"));
        if (length > 0 || chunked) {
            // opened lazily: Jetty answers the client's Expect: 100-continue as soon as getInputStream() is
            // called, and OkHttp writes the body only after the backend said 100 itself, so a backend's
            // 413/503 reaches the client before it has sent its body
            String type = req.getContentType();
            return new StreamingRequestBody(req::getInputStream, chunked ? -1 : length,
                    type == null ? null : MediaType.parse(type));
        }
        if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            return RequestBody.create(new byte[0], null);
        }
        return null;
    }

    private static void relay(Context ctx, Response response, boolean head, Service service) throws IOException {
        HttpServletResponse res = ctx.res();
        res.setStatus(response.code());
        for (String name : response.headers().names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) && !lower.equals("content-length")) {
                continue;
            }
            List<String> values = response.headers(name);
            res.setHeader(name, values.get(0)); // the backend's value wins over the gateway's own
            for (String value : values.subList(1, values.size())) {
                res.addHeader(name, value);
            }
        }
        if (head) {
            return;
        }
        // Jetty writes a response in chunks of its buffer size (32 KiB by default), each a blocking write of
        // its own; okio's segments are aggregated into this direct buffer and go out in one syscall each
        res.setBufferSize(BUFFER);
        OutputStream out = res.getOutputStream();
        try (BufferedSource in = response.body().source()) {
            Buffer segments = in.getBuffer();
            // hand okio's own segments to Jetty: no intermediate byte[] copy
            while (in.request(BUFFER) || segments.size() > 0) {
                segments.writeTo(out);
            }
            out.flush();
        } catch (IOException e) {
            if (!res.isCommitted()) {
                // nothing has left yet (the first bytes sit in Jetty's buffer): drop the backend's status, headers
                // (its Content-Length among them) and those bytes, and say what happened
                res.reset();
                throw new BadGateway(service.id() + " response broke off: " + e.getMessage(), Map.of("service", service.id()));
            }
            // status and part of the body are already out: the only honest signal left is a cut connection
            log.warn("{} response cut after commit: {}", service.id(), e.getMessage());
            throw e;
        }
    }
}
