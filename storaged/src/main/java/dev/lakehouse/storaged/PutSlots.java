package dev.lakehouse.storaged;

import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.ServiceUnavailable;
import java.util.concurrent.Semaphore;

/**
 * At most N PUTs in flight. The N+1st is refused at once with 503 + Retry-After rather than queued:
 * a queue would hide overload and pin a client's connection (and its body) while it waits.
 */
final class PutSlots {
    static final int RETRY_AFTER_SECONDS = 1;

    private final Semaphore slots;
    private final int max;

    PutSlots(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("storaged.max_concurrent_puts must be >= 1, got " + max);
        }
        this.max = max;
        this.slots = new Semaphore(max);
    }

    /** Takes a slot or throws {@link ServiceUnavailable}; close the returned slot to give it back. */
    Slot acquire() {
        if (!slots.tryAcquire()) {
            throw new ServiceUnavailable("too many PUTs in flight (max " + max + "); retry later", ErrorCodes.TOO_MANY_PUTS,
                    RETRY_AFTER_SECONDS);
        }
        return new Slot();
    }

    int inFlight() {
        return max - slots.availablePermits();
    }

    int max() {
        return max;
    }

    final class Slot implements AutoCloseable {
        private boolean released;

        private Slot() {}

        @Override
        public void close() {
            if (!released) {
                released = true;
                slots.release();
            }
        }
    }
}
