package dev.lakehouse.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestFleetTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3);

    @Test
    void aPeerThatIsNotRunningIsReachedWhereNothingListensNeverAtItsDefaultPort() {
        Config c = FLEET.config(Service.VECTORD, Map.of());
        assertEquals(TestFleet.NOWHERE, c.url(Service.EMBEDD));
        assertEquals(TestFleet.NOWHERE, c.url(Service.STORAGED));
        assertEquals(0, c.port(Service.VECTORD));
    }

    @Test
    void everyServiceGetsTheSecretsFileAndItsOwnDataDirAndTheTestsKeysWin() {
        Config c = FLEET.config(Service.QUERYD, Map.of("embedd.url", "http://127.0.0.1:1", "queryd.row_limit", "7"));
        assertEquals(S3.secretsFile(), c.secretsFile());
        assertEquals(S3.tempDir().resolve("queryd"), c.dataDir());
        assertEquals("http://127.0.0.1:1", c.url(Service.EMBEDD));
        assertEquals(7, c.integer("queryd.row_limit", 0));
    }
}
