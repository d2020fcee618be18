package dev.lakehouse.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.SecretsFile;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.error.Conflict;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.Forbidden;
import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The codes every service shares, on the wire of a real {@link ServiceApp}: an error thrown without a code gets its
 * status's generic one, and the common guards (body cap, fleet-internal routes, unexpected exceptions) name theirs.
 */
class GenericErrorCodesTest {
    static final FleetCredential CREDENTIAL = FleetCredential.generate();
    static final OkHttpClient HTTP = CREDENTIAL.signing(new OkHttpClient());
    @TempDir
    static Path dir;
    static ServiceApp app;

    record Thing(String name) {}

    @BeforeAll
    static void start() {
        Path secrets = dir.resolve("secrets.toml");
        SecretsFile.write(secrets, CREDENTIAL.toToml());
        Config config = Config.of(Map.of("http.shutdown_hook", "false", "secrets_file", secrets.toString(),
                "http.max_json_body_bytes", "1024"));
        app = ServiceApp.builder(Service.CATALOGD, config).port(0).routes(r -> {
            r.get("/conflict", ctx -> {
                throw new Conflict("a conflict its thrower named no code for");
            });
            r.get("/forbidden", ctx -> {
                throw new Forbidden("a refusal its thrower named no code for");
            });
            r.get("/boom", ctx -> {
                throw new IllegalStateException("a bug");
            });
            r.get("/internal", ctx -> {
                InternalRoutes.require(ctx);
                ctx.result("fleet only");
            });
            r.post("/thing", ctx -> ctx.json(ctx.bodyAsClass(Thing.class)));
        }).start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static String code(int status, Request.Builder request) throws IOException {
        try (Response r = HTTP.newCall(request.build()).execute()) {
            JsonNode err = Json.TOLERANT.readTree(r.body().bytes());
            assertEquals(status, r.code(), err.toString());
            assertEquals(status, err.path("status").asInt(), err.toString());
            return err.path("code").asText();
        }
    }

    static Request.Builder get(String path) {
        return new Request.Builder().url(app.baseUrl() + path);
    }

    @Test
    void aConflictWithoutItsOwnCodeIsConflict() throws IOException {
        assertEquals(ErrorCodes.CONFLICT, code(409, get("/conflict")));
    }

    @Test
    void aForbiddenWithoutItsOwnCodeIsForbidden() throws IOException {
        assertEquals(ErrorCodes.FORBIDDEN, code(403, get("/forbidden")));
    }

    @Test
    void anUnexpectedExceptionIsInternalError() throws IOException {
        assertEquals(ErrorCodes.INTERNAL_ERROR, code(500, get("/boom")));
    }

    @Test
    void aFleetInternalRouteReachedFromThePublicSideIsInternalRoute() throws IOException {
        assertEquals(ErrorCodes.INTERNAL_ROUTE,
                code(403, get("/internal").header(FleetCredential.ORIGIN_HEADER, FleetCredential.ORIGIN_PUBLIC)));
    }

    @Test
    void aJsonBodyAboveTheCapIsPayloadTooLarge() throws IOException {
        byte[] big = Json.write(Map.of("name", "x".repeat(4096))).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(ErrorCodes.PAYLOAD_TOO_LARGE,
                code(413, new Request.Builder().url(app.baseUrl() + "/thing")
                        .post(RequestBody.create(big, MediaType.get("application/json")))));
    }
}
