package dev.lakehouse.catalogd.erasure;

import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.json.RecordFormat;
import dev.lakehouse.common.model.ObjectInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Erasures in storaged, under {@link StorageLayout#ERASURE_PREFIX}: {@code intents/{id}.json} (rewritten as the
 * erasure advances) and the audit log, {@code log/{requested_at millis}-{id}.json}, one object per erasure, written
 * once and never changed. Both are stamped records read tolerantly.
 */
final class ErasureStore {
    static final RecordFormat INTENT = RecordFormat.of("erasure_intent", 1, 1);
    static final RecordFormat LOG_ENTRY = RecordFormat.of("erasure_log_entry", 1, 0);
    static final String INTENTS = StorageLayout.ERASURE_PREFIX + "intents/";
    static final String LOG = StorageLayout.ERASURE_PREFIX + "log/";

    private final StorageClient storage;

    ErasureStore(StorageClient storage) {
        this.storage = storage;
    }

    void put(ErasureIntent intent) {
        storage.put(INTENTS + intent.id + ".json", INTENT.write(intent));
    }

    Optional<ErasureIntent> get(String id) {
        try {
            return Optional.of(INTENT.read(storage.getBytes(INTENTS + id + ".json"), ErasureIntent.class));
        } catch (NotFound e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("erasure intent " + id + " is unreadable", e);
        }
    }

    List<ErasureIntent> all() {
        List<ErasureIntent> out = new ArrayList<>();
        for (ObjectInfo o : storage.listAll(INTENTS)) {
            String name = o.key().substring(INTENTS.length());
            if (name.endsWith(".json")) {
                get(name.substring(0, name.length() - 5)).ifPresent(out::add);
            }
        }
        return out;
    }

    static String logKey(ErasureIntent intent) {
        return LOG + String.format("%013d", intent.requestedAt.toEpochMilli()) + "-" + intent.id + ".json";
    }

    /** Appends the entry unless a resumed erasure already did: each erasure has exactly one. */
    void appendLog(ErasureIntent intent, Map<String, Object> entry) {
        String key = logKey(intent);
        if (!storage.exists(key)) {
            storage.put(key, LOG_ENTRY.write(entry));
        }
    }

    /** Log entries in the order they were requested, after the key {@code after} (exclusive), at most {@code limit}. */
    List<Map<String, Object>> log(String after, int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ObjectInfo o : storage.listAll(LOG)) {
            if (out.size() >= limit) {
                break;
            }
            if (after != null && o.key().compareTo(LOG + after) <= 0) {
                continue;
            }
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> e = LOG_ENTRY.read(storage.getBytes(o.key()), Map.class);
                e.put("cursor", o.key().substring(LOG.length()));
                out.add(e);
            } catch (IOException e) {
                throw new UncheckedIOException("erasure log entry " + o.key() + " is unreadable", e);
            }
        }
        return out;
    }
}
