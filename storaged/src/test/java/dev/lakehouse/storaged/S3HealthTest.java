package dev.lakehouse.storaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.config.S3Settings;
import dev.lakehouse.common.config.Secrets;
import dev.lakehouse.common.config.SecretsFile;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.gateway.GatewayMain;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** storaged's /health asks S3; the gateway's /v1/health names s3 when it is down. */
class S3HealthTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3);
    static final OkHttpClient http = new OkHttpClient();
    @TempDir
    Path dir;

    static JsonNode get(String url, int expect) throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(url).build()).execute()) {
            assertEquals(expect, r.code(), url);
            return Json.MAPPER.readTree(r.body().string());
        }
    }

    ServiceApp storaged(Path secrets) {
        return StoragedMain.start(FLEET.config(Service.STORAGED, Map.of("secrets_file", secrets.toString())));
    }

    ServiceApp gatewayFor(ServiceApp storaged) {
        return GatewayMain.start(FLEET.config(Service.GATEWAY, Map.of("storaged.url", storaged.baseUrl())));
    }

    @Test
    void healthIs503NamingS3WhenS3DoesNotAnswerAndTheGatewaySaysSo() throws IOException {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        S3Settings real = S3.settings();
        Path secrets = dir.resolve("dead-s3.toml");
        SecretsFile.write(secrets, Secrets.toToml(new S3Settings("http://127.0.0.1:" + dead, real.region(), real.bucket(),
                real.accessKey(), real.secretKey())) + "[fleet]\ninternal_token = \"" + S3.credential().headerValue() + "\"\n");
        try (ServiceApp storaged = storaged(secrets); ServiceApp gw = gatewayFor(storaged)) {
            JsonNode h = get(storaged.baseUrl() + "/health", 503);
            assertEquals("degraded", h.get("status").asText());
            assertEquals("s3", h.at("/down/0").asText());
            assertTrue(h.get("s3_error").asText().length() > 0);
            JsonNode fleet = get(gw.baseUrl() + "/v1/health", 503);
            assertTrue(fleet.get("down").toString().contains("\"s3\""), fleet.toString());
        }
    }

    @Test
    void healthIs200WhenS3Answers() throws IOException {
        try (ServiceApp storaged = storaged(S3.secretsFile())) {
            JsonNode h = get(storaged.baseUrl() + "/health", 200);
            assertTrue(h.path("down").isMissingNode(), h.toString());
        }
    }
}
