package dev.lakehouse.embedd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddKeysTest {
    @Test
    void everyEmbeddKeyHasTheRowItsDeclarationRendersInEmbeddMd() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "embedd.md"));
        assertEquals(List.of(), Key.missingRows(EmbeddKeys.ALL, doc), "docs/embedd.md should have these rows");
    }

    @Test
    void theExampleTomlSetsOnlyDeclaredEmbeddKeysAtTheirDefaults() {
        assertEquals(List.of(), Key.exampleTomlProblems(EmbeddKeys.ALL, "embedd",
                Config.readToml(Path.of("..", "deploy", "lakehouse.example.toml"))));
    }
}
