package dev.lakehouse.common.concurrent;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for work handed to another thread, so that it fails as it would have in the caller's. */
public final class Futures {
    private Futures() {}

    /**
     * The result of {@code f}; its RuntimeException as thrown (an ApiException keeps its status and code), any
     * other failure wrapped. {@code doing} names the wait in the exception of an interrupt.
     */
    public static <T> T await(Future<T> f, String doing) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(doing + " failed", e.getCause());
        }
    }
}
