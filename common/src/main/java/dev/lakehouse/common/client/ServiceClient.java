package dev.lakehouse.common.client;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.BadGateway;
import dev.lakehouse.common.error.ErrorHandlers;
import dev.lakehouse.common.error.GatewayTimeout;
import dev.lakehouse.common.error.UnknownOutcome;
import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Shared plumbing of the typed clients: base URL, the fleet credential on every call, JSON bodies, and status → typed exception. */
public abstract class ServiceClient {
    public static final MediaType JSON = MediaType.get("application/json");
    /** The header of a write's idempotency key (dev.lakehouse.common.idempotency.IdempotencyStore). */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    protected final String name;
    protected final HttpUrl base;
    protected final OkHttpClient http;
    private final FleetCredential credential;

    protected ServiceClient(String name, String baseUrl, OkHttpClient http, FleetCredential credential) {
        this.name = name;
        HttpUrl parsed = HttpUrl.parse(baseUrl);
        if (parsed == null) {
            throw new IllegalArgumentException(name + " URL is not http(s): " + baseUrl);
        }
        this.base = parsed;
        this.http = http;
        this.credential = java.util.Objects.requireNonNull(credential, "credential");
    }

    protected HttpUrl.Builder url(String path) {
        return base.newBuilder().addPathSegments(path.startsWith("/") ? path.substring(1) : path);
    }

    protected static RequestBody json(Object body) {
        return RequestBody.create(Json.bytes(body), JSON);
    }

    /** Executes; returns the response when 2xx (caller closes it), else throws the typed exception. */
    protected Response execute(Request request) {
        Response response;
        try {
            response = http.newCall(credential.sign(request)).execute();
        } catch (SocketTimeoutException e) {
            String what = name + " did not answer in time (" + request.method() + " " + request.url().encodedPath() + ")";
            throw mayHaveHappened(request) ? new UnknownOutcome(what + "; the write may or may not have been applied", e)
                    : new GatewayTimeout(what, e);
        } catch (InterruptedIOException e) {
            String what = name + " call interrupted: " + e.getMessage();
            throw mayHaveHappened(request) ? new UnknownOutcome(what + "; the write may or may not have been applied", e)
                    : new GatewayTimeout(what, e);
        } catch (IOException e) {
            throw new BadGateway(name + " unreachable at " + base + ": " + e.getMessage(), e);
        }
        if (!response.isSuccessful()) {
            try (response) {
                throw toException(response);
            }
        }
        return response;
    }

    /**
     * A write whose answer never came may have been applied: the caller must not read the timeout as "not done".
     * (A refused connection is a {@link BadGateway}: nothing was sent.)
     */
    private static boolean mayHaveHappened(Request request) {
        return !request.method().equals("GET") && !request.method().equals("HEAD");
    }

    /** Executes and reads the JSON body into {@code type}, tolerantly: a newer peer may add fields. */
    protected <T> T call(Request request, Class<T> type) {
        try (Response response = execute(request)) {
            return Json.TOLERANT.readValue(response.body().byteStream(), type);
        } catch (IOException e) {
            throw new BadGateway(name + " sent an unreadable body: " + e.getMessage(), e);
        }
    }

    /**
     * The {@code service} that the peer at this client's URL says it is on {@code /health}: lets a caller about to
     * act on an answer (e.g. delete on a 404) check it is talking to the service it means, not a misrouted URL.
     */
    public String peerService() {
        try (Response response = execute(new Request.Builder().url(url("health").build()).get().build())) {
            return Json.MAPPER.readTree(response.body().byteStream()).path("service").asText("");
        } catch (IOException e) {
            throw new BadGateway(name + " sent an unreadable /health: " + e.getMessage(), e);
        }
    }

    protected ApiException toException(Response response) {
        String body;
        try {
            body = response.body().string();
        } catch (IOException e) {
            body = null;
        }
        return ErrorHandlers.fromResponse(name, response.code(), body, response.header("Retry-After"));
    }
}
