package dev.lakehouse.ingestd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestdKeysTest {
    @Test
    void everyIngestdKeyHasTheRowItsDeclarationRendersInIngestdMd() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "ingestd.md"));
        assertEquals(List.of(), Key.missingRows(IngestdKeys.ALL, doc), "docs/ingestd.md should have these rows");
    }

    @Test
    void theExampleTomlSetsOnlyDeclaredIngestdKeysAtTheirDefaults() {
        assertEquals(List.of(), Key.exampleTomlProblems(IngestdKeys.ALL, "ingestd",
                Config.readToml(Path.of("..", "deploy", "lakehouse.example.toml"))));
    }
}
