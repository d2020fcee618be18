package dev.lakehouse.vectord;

import static dev.lakehouse.common.config.Service.STORAGED;
import static dev.lakehouse.common.config.Service.VECTORD;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.Http.Reply;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** vectord's refusals carry their stable codes on the wire (issue 26: each pinned by its text). */
class VectordErrorCodesTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start).with(VECTORD, VectordMain::start);

    @Test
    void creatingAnIndexThatExistsIsIndexExists() {
        assertEquals(201, FLEET.call(VECTORD, "POST", "/index", Map.of("name", "twice", "dim", 4)).status());
        Reply again = FLEET.call(VECTORD, "POST", "/index", Map.of("name", "twice", "dim", 4));
        assertEquals(409, again.status(), String.valueOf(again.body()));
        assertEquals("index_exists", again.body().path("code").asText(), again.body().toString());
        assertEquals(409, again.body().path("status").asInt(), again.body().toString());
    }
}
