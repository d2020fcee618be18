package dev.lakehouse.vectord.wal;

import java.io.IOException;

/** A WAL record that cannot be trusted (torn, altered, unknown version, another incarnation), with the reason. */
public final class WalException extends IOException {
    public WalException(String message) {
        super(message);
    }
}
