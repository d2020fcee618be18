package dev.lakehouse.common.client;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.BadGateway;
import dev.lakehouse.common.error.ErrorHandlers;
import dev.lakehouse.common.error.GatewayTimeout;
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
            throw new GatewayTimeout(name + " did not answer in time (" + request.method() + " " + request.url().encodedPath() + ")", e);
        } catch (InterruptedIOException e) {
            throw new GatewayTimeout(name + " call interrupted: " + e.getMessage(), e);
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

    /** Executes and reads the JSON body into {@code type}. */
    protected <T> T call(Request request, Class<T> type) {
        try (Response response = execute(request)) {
            return Json.MAPPER.readValue(response.body().byteStream(), type);
        } catch (IOException e) {
            throw new BadGateway(name + " sent an unreadable body: " + e.getMessage(), e);
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
