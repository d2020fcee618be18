package dev.lakehouse.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayKeysTest {
    @Test
    void everyGatewayKeyHasTheRowItsDeclarationRendersInConfigurationMd() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        assertEquals(List.of(), Key.missingRows(GatewayKeys.ALL, doc), "docs/configuration.md should have these rows");
    }

    @Test
    void theExampleTomlSetsOnlyDeclaredGatewayKeysAtTheirDefaults() {
        assertEquals(List.of(), Key.exampleTomlProblems(GatewayKeys.ALL, "gateway",
                Config.readToml(Path.of("..", "deploy", "lakehouse.example.toml"))));
    }
}
