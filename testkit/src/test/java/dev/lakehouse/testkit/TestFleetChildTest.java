package dev.lakehouse.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestFleetChildTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).reserve(Service.QUERYD);

    static String pid(String url) throws IOException {
        try (Response r = Http.SIGNED.newCall(new Request.Builder().url(url + "/pid").build()).execute()) {
            assertEquals(200, r.code());
            return r.body().string();
        }
    }

    static boolean answers(String url) {
        try (Response r = Http.SIGNED.newCall(new Request.Builder().url(url + "/health").build()).execute()) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    @Test
    void aChildServiceRunsInItsOwnJvmDiesByKillMinus9WithoutItsStopHookAndComesBackOnItsPort() throws IOException {
        String url = FLEET.startChild(Service.STORAGED, ChildServiceMain.class, Map.of());
        Path stopped = S3.tempDir().resolve("storaged").resolve("stopped");
        String first = pid(url);
        assertNotEquals(Long.toString(ProcessHandle.current().pid()), first, "another process answers");
        assertTrue(ProcessHandle.of(Long.parseLong(first)).isPresent());

        FLEET.kill(Service.STORAGED);
        assertFalse(answers(url), "nothing listens once it is killed");
        assertFalse(ProcessHandle.of(Long.parseLong(first)).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(Files.exists(stopped), "kill -9 runs no stop hook");
        assertFalse(FLEET.running(Service.STORAGED));

        FLEET.start(Service.STORAGED);
        assertEquals(url, FLEET.url(Service.STORAGED), "on the same port");
        String second = pid(url);
        assertNotEquals(first, second, "a new process");

        FLEET.stop(Service.STORAGED);
        assertEquals(second, Files.readString(stopped), "a stop is SIGTERM: the service ran its stop hook");
    }

    @Test
    void aReservedPeerIsWiredAtItsPortBeforeItStartsAndStartsThere() {
        Config c = FLEET.config(Service.CATALOGD, Map.of());
        String queryd = c.url(Service.QUERYD);
        assertNotEquals(TestFleet.NOWHERE, queryd);
        assertEquals(queryd, FLEET.url(Service.QUERYD));
        assertEquals(queryd.substring(queryd.lastIndexOf(':') + 1),
                Integer.toString(FLEET.config(Service.QUERYD, Map.of()).port(Service.QUERYD)), "it will listen where it is expected");
    }

    @Test
    void aChildThatExitsWhileStartingFailsAtOnceWithItsLog() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> FLEET.startChild(Service.STORAGED, ChildServiceMain.class, Map.of("storaged.no_such_key", "1")));
        assertTrue(e.getMessage().contains("exited with") && e.getMessage().contains("LAKEHOUSE_STORAGED_NO_SUCH_KEY"), e.getMessage());
        assertFalse(FLEET.running(Service.STORAGED));
    }
}
