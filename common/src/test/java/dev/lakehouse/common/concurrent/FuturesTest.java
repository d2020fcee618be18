package dev.lakehouse.common.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lakehouse.common.error.Conflict;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FuturesTest {
    @Test
    void aResultIsReturnedAndAnApiExceptionComesOutAsItselfWithItsCode() {
        assertEquals("x", Futures.await(CompletableFuture.completedFuture("x"), "waiting"));
        Conflict c = new Conflict("taken", Map.of("code", "idempotency_key_reused"));
        Conflict out = assertThrows(Conflict.class, () -> Futures.await(CompletableFuture.failedFuture(c), "waiting"));
        assertSame(c, out);
    }

    @Test
    void aCheckedFailureIsWrappedNamingTheWait() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Futures.await(CompletableFuture.failedFuture(new IOException("gone")), "reading a record"));
        assertEquals("reading a record failed", e.getMessage());
        assertEquals("gone", e.getCause().getMessage());
    }
}
