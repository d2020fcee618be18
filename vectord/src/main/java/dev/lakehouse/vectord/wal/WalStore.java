package dev.lakehouse.vectord.wal;

import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.error.ServiceUnavailable;
import dev.lakehouse.common.model.ObjectInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WAL records in storaged, one object per record:
 * {@code _vectors/_wal/{index}/{incarnation, 16 hex}/{sequence, 20 digits}.lhw}. Index names cannot start
 * with {@code _}, so this area never clashes with an index's snapshot key. Every I/O goes through
 * {@link StorageClient} (storaged's credentials and caps apply).
 */
public final class WalStore {
    public static final String PREFIX = StorageLayout.VECTORS_PREFIX + "_wal/";
    private static final Pattern KEY = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_-]{0,63})/([0-9a-f]{16})/([0-9]{20})\\.(lhw|idem)");

    private final StorageClient storage;

    public WalStore(StorageClient storage) {
        this.storage = storage;
    }

    public static String dir(String index) {
        return PREFIX + index + "/";
    }

    public static String key(String index, long incarnation, long sequence) {
        return String.format("%s%016x/%020d.lhw", dir(index), incarnation, sequence);
    }

    /** The idempotency keys remembered by the snapshot that covers {@code sequence} (see {@code store/Idempotency}). */
    public static String rememberedKey(String index, long incarnation, long sequence) {
        return String.format("%s%016x/%020d.idem", dir(index), incarnation, sequence);
    }

    /** A stored object's address: a record ({@code remembered} false) or a snapshot's remembered keys. */
    public record Entry(String key, String index, long incarnation, long sequence, long size, boolean remembered) {}

    /**
     * One PUT: when it returns the record is durable (S3 publishes an object whole or not at all). storaged's
     * 503 for too many PUTs in flight is retried with jittered backoff for up to {@link #BUSY_RETRY_NANOS}
     * (a record is small and its callers are waiting; failing them would only make clients retry the whole
     * batch); any other failure, or a 503 that lasts, is thrown.
     */
    public void put(String index, WalRecord record) {
        byte[] bytes = record.encode();
        String key = key(index, record.incarnation(), record.sequence());
        long deadline = System.nanoTime() + BUSY_RETRY_NANOS;
        long backoff = 5;
        while (true) {
            try {
                storage.put(key, bytes);
                return;
            } catch (ServiceUnavailable busy) {
                if (System.nanoTime() > deadline) {
                    throw busy;
                }
                try {
                    Thread.sleep(1 + java.util.concurrent.ThreadLocalRandom.current().nextLong(backoff));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw busy;
                }
                backoff = Math.min(backoff * 2, 200);
            }
        }
    }

    static final long BUSY_RETRY_NANOS = 15_000_000_000L;

    /** Every object of one index's log (all incarnations), by incarnation then sequence. Foreign keys are ignored. */
    public List<Entry> list(String index) {
        return parse(storage.listAll(dir(index)));
    }

    /** Every record of every index (to find logs whose index is gone). */
    public List<Entry> listAll() {
        return parse(storage.listAll(PREFIX));
    }

    private static List<Entry> parse(List<ObjectInfo> objects) {
        List<Entry> out = new ArrayList<>();
        for (ObjectInfo o : objects) {
            Matcher m = KEY.matcher(o.key().substring(PREFIX.length()));
            if (m.matches()) {
                out.add(new Entry(o.key(), m.group(1), Long.parseUnsignedLong(m.group(2), 16),
                        Long.parseLong(m.group(3)), o.size(), m.group(4).equals("idem")));
            }
        }
        out.sort(Comparator.comparing(Entry::index).thenComparingLong(Entry::incarnation)
                .thenComparingLong(Entry::sequence));
        return out;
    }

    /** The record, verified against its key; a missing object is a {@link WalException} too (a gap). */
    public WalRecord read(Entry e) throws WalException {
        byte[] bytes;
        try {
            bytes = storage.getBytes(e.key());
        } catch (NotFound nf) {
            throw new WalException("record " + e.sequence() + " is missing");
        }
        return WalRecord.decode(bytes, e.incarnation(), e.sequence());
    }

    public void delete(String key) {
        try {
            storage.delete(key);
        } catch (NotFound ignored) {
            // already gone
        }
    }
}
