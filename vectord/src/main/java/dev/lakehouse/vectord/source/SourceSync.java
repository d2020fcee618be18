package dev.lakehouse.vectord.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.vectord.api.TextEmbedder;
import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.engine.VectorItem;
import dev.lakehouse.vectord.store.IndexRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One sync of one index with one dataset version: reads the rows through queryd page by page (pinned to the
 * version), embeds in batches only rows whose text or metadata hash changed, writes them through the registry
 * (WAL first, as any add), then deletes the ids the version no longer has. Holds one page and one batch, plus
 * 16 bytes per row of the prior and the new {@link RowHashes}.
 */
final class SourceSync {
    static final int MAX_ID_CHARS = dev.lakehouse.vectord.api.VectorRoutes.MAX_ID_CHARS;
    static final int MAX_METADATA_BYTES = dev.lakehouse.vectord.api.VectorRoutes.MAX_METADATA_BYTES;

    private final IndexRegistry registry;
    private final TextEmbedder embedder;
    private final SqlClient sql;
    private final int pageRows;
    private final int batchRows;

    SourceSync(IndexRegistry registry, TextEmbedder embedder, SqlClient sql, int pageRows, int batchRows) {
        this.registry = registry;
        this.embedder = embedder;
        this.sql = sql;
        this.pageRows = pageRows;
        this.batchRows = batchRows;
    }

    /** Counts of one run (logged; the state keeps the outcome). */
    record Outcome(SyncState state, int embedded, int removed, int unchanged) {}

    private record Pending(String id, String text, String metadataJson) {}

    Outcome run(SyncState prior, Manifest latest) {
        DatasetSource src = prior.source();
        VectorIndex index = registry.live(prior.index());
        RowHashes.Builder seen = new RowHashes.Builder();
        RowHashes before = prior.rowHashes();
        List<Pending> batch = new ArrayList<>();
        int embedded = 0;
        int unchanged = 0;
        int skipped = 0;
        String cursor = null;
        Map<String, Integer> pin = Map.of(src.dataset(), latest.version());
        do {
            SqlClient.Page page = sql.page(src.sql(), pin, pageRows, cursor);
            Map<String, Integer> at = positions(page, src);
            for (List<JsonNode> row : page.rows()) {
                String id = text(row.get(at.get(src.idColumn())));
                if (id == null || id.isEmpty() || id.length() > MAX_ID_CHARS) {
                    skipped++;
                    continue;
                }
                StringBuilder text = new StringBuilder();
                ObjectNode meta = Json.MAPPER.createObjectNode();
                for (String c : src.textColumns()) {
                    String t = text(row.get(at.get(c)));
                    if (t != null && !t.isBlank()) {
                        text.append(text.length() == 0 ? "" : "\n").append(t);
                    }
                    meta.set(c, row.get(at.get(c)));
                }
                for (String c : src.metadataColumns()) {
                    meta.set(c, row.get(at.get(c)));
                }
                String metaJson = Json.write(meta);
                if (text.length() == 0 || metaJson.getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
                    skipped++; // nothing to embed, or metadata vectord refuses: counted, never half-stored
                    continue;
                }
                long idHash = RowHashes.idHash(id);
                long hash = RowHashes.contentHash(text.toString(), metaJson);
                seen.add(idHash, hash);
                Long was = before.content(idHash);
                if (was != null && was == hash && index.contains(id)) {
                    unchanged++;
                    continue;
                }
                batch.add(new Pending(id, text.toString(), metaJson));
                if (batch.size() >= batchRows) {
                    embedded += flush(prior.index(), index, batch);
                }
            }
            cursor = page.truncated() ? page.next() : null;
        } while (cursor != null);
        embedded += flush(prior.index(), index, batch);
        RowHashes now = seen.build();
        // the ids are not kept: the rows gone are the index's items whose id hash was synced before and is not now
        List<String> gone = new ArrayList<>();
        for (VectorItem item : registry.live(prior.index()).items()) {
            long h = RowHashes.idHash(item.id());
            if (before.contains(h) && !now.contains(h)) {
                gone.add(item.id());
            }
        }
        registry.removeAll(prior.index(), gone);
        return new Outcome(prior.synced(latest.version(), latest.contentHash(), skipped, embedded, gone.size(), now),
                embedded, gone.size(), unchanged);
    }

    private int flush(String name, VectorIndex index, List<Pending> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        List<float[]> vectors = embedder.embed(batch.stream().map(Pending::text).toList(), index.spec().dim(), name);
        List<VectorItem> items = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            items.add(new VectorItem(batch.get(i).id(), index.prepare(vectors.get(i)), batch.get(i).metadataJson()));
        }
        registry.add(name, items);
        int n = batch.size();
        batch.clear();
        return n;
    }

    private static Map<String, Integer> positions(SqlClient.Page page, DatasetSource src) {
        Map<String, Integer> at = new HashMap<>();
        for (int i = 0; i < page.columns().size(); i++) {
            at.putIfAbsent(page.columns().get(i).name(), i);
        }
        for (String c : src.columns()) {
            if (!at.containsKey(c)) {
                throw DatasetSource.bad("queryd's answer for dataset '" + src.dataset() + "' has no column '" + c + "'");
            }
        }
        return at;
    }

    /** A cell as text: strings as they are, numbers and others in their JSON spelling, null as null. */
    private static String text(JsonNode cell) {
        if (cell == null || cell.isNull()) {
            return null;
        }
        return cell.isTextual() ? cell.asText() : cell.toString();
    }
}
