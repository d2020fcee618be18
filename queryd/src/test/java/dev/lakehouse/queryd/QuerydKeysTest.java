package dev.lakehouse.queryd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.common.config.Key;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuerydKeysTest {
    @Test
    void everyQuerydKeyHasTheRowItsDeclarationRendersInTheDocsAndTheExampleTomlSetsOnlyItsDefaults() throws IOException {
        assertEquals(List.of(), Key.docsAndExampleProblems(QuerydKeys.ALL, "queryd", Path.of(".."), "queryd.md"));
    }
}
