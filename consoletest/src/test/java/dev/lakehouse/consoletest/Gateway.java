package dev.lakehouse.consoletest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Calls through the gateway with the bearer token, as a program would make them (to compare with the page). */
record Gateway(String url, String token) {
    static final OkHttpClient HTTP = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60)).build();

    record Reply(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    Reply call(String method, String path, String contentType, byte[] body, String accept) {
        Request.Builder b = new Request.Builder().url(url + path).header("Authorization", "Bearer " + token)
                .method(method, body == null ? null : RequestBody.create(body, contentType == null ? null : MediaType.get(contentType)));
        if (accept != null) {
            b.header("Accept", accept);
        }
        try (Response r = HTTP.newCall(b.build()).execute()) {
            return new Reply(r.code(), r.body().bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
