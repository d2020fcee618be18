package dev.lakehouse.storaged;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.common.config.Key;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoragedKeysTest {
    @Test
    void everyStoragedKeyHasTheRowItsDeclarationRendersInTheDocsAndTheExampleTomlSetsOnlyItsDefaults() throws IOException {
        assertEquals(List.of(), Key.docsAndExampleProblems(StoragedKeys.ALL, "storaged", Path.of(".."), "storaged.md"));
    }
}
