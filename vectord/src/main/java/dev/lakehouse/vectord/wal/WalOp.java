package dev.lakehouse.vectord.wal;

import dev.lakehouse.vectord.engine.VectorItem;

/**
 * One change in a WAL record: put an item (add or replace) or delete an id. Both are idempotent, so replaying
 * a record that a snapshot already partly covers gives the same state.
 */
public sealed interface WalOp {
    String id();

    /** Add or replace; the vector is stored as applied (already normalised for cosine), so replay never renormalises. */
    record Put(VectorItem item) implements WalOp {
        @Override
        public String id() {
            return item.id();
        }
    }

    record Delete(String id) implements WalOp {}
}
