package dev.lakehouse.vectord.lhv1;

import java.io.IOException;

/** The file is not a readable LHV1 frame (wrong magic, truncated, checksum mismatch, bad header). */
public final class Lhv1Exception extends IOException {
    public Lhv1Exception(String message) {
        super(message);
    }

    public Lhv1Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
