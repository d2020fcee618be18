package dev.lakehouse.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.common.config.Key;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayKeysTest {
    @Test
    void everyGatewayKeyHasTheRowItsDeclarationRendersInTheDocsAndTheExampleTomlSetsOnlyItsDefaults() throws IOException {
        assertEquals(List.of(), Key.docsAndExampleProblems(GatewayKeys.ALL, "gateway", Path.of(".."), "configuration.md"));
    }
}
