package dev.lakehouse.vectord.wal;

import dev.lakehouse.vectord.engine.VectorItem;

/**
 * One entry of a WAL record: put an item (add or replace), delete an id, or remember an idempotency key with
 * the outcome of the batch it travels with. Put and delete are idempotent, so replaying a record that a
 * snapshot already partly covers gives the same state.
 */
public sealed interface WalOp {
    /** The item id this op changes; null for ops that change no item. */
    String id();

    /** Add or replace; the vector is stored as applied (already normalised for cosine), so replay never renormalises. */
    record Put(VectorItem item) implements WalOp {
        @Override
        public String id() {
            return item.id();
        }
    }

    record Delete(String id) implements WalOp {}

    /**
     * The batch in this record was requested with {@code Idempotency-Key: key}; {@code requestHash} is the
     * SHA-256 of the request, {@code status}/{@code added} its outcome, {@code atMillis} when it was accepted.
     */
    record Remember(String key, byte[] requestHash, int status, int added, long atMillis) implements WalOp {
        @Override
        public String id() {
            return null;
        }
    }
}
