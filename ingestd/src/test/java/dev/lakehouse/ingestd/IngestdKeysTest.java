package dev.lakehouse.ingestd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.common.config.Key;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestdKeysTest {
    @Test
    void everyIngestdKeyHasTheRowItsDeclarationRendersInTheDocsAndTheExampleTomlSetsOnlyItsDefaults() throws IOException {
        assertEquals(List.of(), Key.docsAndExampleProblems(IngestdKeys.ALL, "ingestd", Path.of(".."), "ingestd.md"));
    }
}
