package dev.lakehouse.embedd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.common.config.Key;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddKeysTest {
    @Test
    void everyEmbeddKeyHasTheRowItsDeclarationRendersInTheDocsAndTheExampleTomlSetsOnlyItsDefaults() throws IOException {
        assertEquals(List.of(), Key.docsAndExampleProblems(EmbeddKeys.ALL, "embedd", Path.of(".."), "embedd.md"));
    }
}
