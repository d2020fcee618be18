package dev.lakehouse.gateway;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.routes.Routes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Gateways for tests that play a backend themselves on a raw socket, and the fleet credential they share. */
final class TestGateways {
    /** One credential for the gateways and backends of this test JVM, in a 0600 secrets file. */
    static final FleetCredential FLEET = FleetCredential.generate();
    private static final Path SECRETS = secretsFile();

    private TestGateways() {}

    private static Path secretsFile() {
        try {
            Path dir = Files.createTempDirectory("lakehouse-gateway-test");
            dir.toFile().deleteOnExit();
            Path file = FLEET.writeSecretsFile(dir.resolve("secrets.toml"));
            file.toFile().deleteOnExit();
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Path secrets() {
        return SECRETS;
    }

    /** {@code values} plus the secrets file holding {@link #FLEET}. */
    static Config config(Map<String, String> values) {
        Map<String, String> m = new HashMap<>(values);
        m.put("secrets_file", SECRETS.toString());
        return Config.of(m);
    }

    /** A gateway on a free port with every backend at {@code 127.0.0.1:port}, plus {@code extra} config. */
    static ServiceApp allBackendsAt(int port, Map<String, String> extra) {
        Map<String, String> cfg = new HashMap<>(extra);
        cfg.put("http.shutdown_hook", "false");
        cfg.put("gateway.port", "0");
        for (var s : Routes.backends()) {
            cfg.put(s.id() + ".url", "http://127.0.0.1:" + port);
        }
        return GatewayMain.start(config(cfg));
    }
}
