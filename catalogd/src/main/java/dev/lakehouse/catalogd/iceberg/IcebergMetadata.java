package dev.lakehouse.catalogd.iceberg;

import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.common.model.ObjectInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.exceptions.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Iceberg table metadata generated from the catalog's manifests (ADR 0023): one table per dataset at
 * {@code s3://{bucket}/datasets/{name}}, its metadata under {@code datasets/{name}/metadata/}; dataset version N
 * is snapshot id N (sequence number N), and {@code metadata/vN.metadata.json} is the table as of version N with
 * snapshots 1..N. Iceberg's own code writes every piece (snapshot producers write the Avro manifests and
 * manifest lists, {@link TableMetadataParser} the JSON), each record versioned by Iceberg's format-version (2).
 *
 * <p>The manifests stay the truth; this is a view of them. {@link #publish} regenerates a dataset's metadata
 * from its manifests (what anything that rewrites old versions calls afterwards); {@link #refresh} brings it
 * up to the latest version, replaying only the versions it lacks.
 */
public final class IcebergMetadata {
    private static final Logger log = LoggerFactory.getLogger(IcebergMetadata.class);
    static final int FORMAT_VERSION = 2;
    static final String SUMMARY_VERSION = "lakehouse.version";
    static final String SUMMARY_CONTENT_HASH = "lakehouse.content-hash";
    static final String SUMMARY_CREATED_AT = "lakehouse.created-at";

    /** What the catalog holds: the source of every table. */
    public interface Versions {
        /** The datasets that can be served (failed ones left out). */
        List<String> datasets();

        /** The latest manifest; the catalog's NotFound if there is no such dataset. */
        Manifest latest(String dataset);

        Manifest version(String dataset, int version);
    }

    /** A dataset's table as of {@code version}: where its metadata file is, the metadata, and an ETag of it. */
    public record Published(String dataset, int version, String contentHash, String metadataLocation,
            TableMetadata metadata, String etag) {}

    private final StoragedFileIO io;
    private final StorageClient storage;
    private final Versions versions;
    private final ConcurrentMap<String, Published> published = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong generated = new java.util.concurrent.atomic.AtomicLong();

    public IcebergMetadata(StorageClient storage, StoragedFileIO io, Versions versions) {
        this.storage = storage;
        this.io = io;
        this.versions = versions;
    }

    public StoragedFileIO io() {
        return io;
    }

    static String metadataPrefix(String dataset) {
        return StorageLayout.DATASETS_PREFIX + dataset + "/metadata/";
    }

    static String metadataKey(String dataset, int version) {
        return metadataPrefix(dataset) + "v" + version + ".metadata.json";
    }

    /**
     * Migration on start, idempotent: a dataset whose {@code vN.metadata.json} already matches its latest
     * version is read, every other one is generated.
     */
    public void migrate() {
        List<String> all = versions.datasets();
        int ready = 0;
        for (String dataset : all) {
            try {
                refresh(dataset);
                ready++;
            } catch (RuntimeException e) {
                // served later: a load of the table generates what is missing
                log.warn("cannot make Iceberg metadata for dataset {} yet: {}", dataset, e.toString());
            }
        }
        log.info("Iceberg metadata: {} of {} dataset(s) ready, {} generated since start", ready, all.size(), generated.get());
    }

    /** For /health: tables served and how many metadata versions this process wrote. */
    public Map<String, Object> stats() {
        return Map.of("tables", published.size(), "generated", generated.get());
    }

    /** The table of {@code dataset} as of its latest version, generating what is missing. */
    public Published refresh(String dataset) {
        synchronized (lock(dataset)) {
            Manifest latest = versions.latest(dataset);
            Published p = published.get(dataset);
            if (p == null) {
                p = stored(dataset, latest);
            }
            if (p != null && p.version() == latest.version() && p.contentHash().equals(latest.contentHash())) {
                published.put(dataset, p);
                return p;
            }
            if (p != null && p.version() < latest.version()
                    && versions.version(dataset, p.version()).contentHash().equals(p.contentHash())) {
                return replay(dataset, p.metadata(), p.version(), latest);
            }
            return publish(dataset);
        }
    }

    /**
     * Regenerates the table of {@code dataset} from all its manifests and removes the metadata objects the new
     * table does not reference (those of versions rewritten since). The one entry point for anything that
     * changes stored versions (erasure).
     */
    public Published publish(String dataset) {
        synchronized (lock(dataset)) {
            Manifest latest = versions.latest(dataset);
            Published p = replay(dataset, null, 0, latest);
            removeUnreferenced(dataset, p);
            return p;
        }
    }

    /** Forgets a deleted dataset and removes its metadata objects (the data files are the catalog's to remove). */
    public void forget(String dataset) {
        synchronized (lock(dataset)) {
            published.remove(dataset);
            for (ObjectInfo o : storage.listAll(metadataPrefix(dataset))) {
                storage.delete(o.key());
            }
        }
    }

    /** The table as last published, without generating anything (null if none yet). */
    public Published cached(String dataset) {
        return published.get(dataset);
    }

    // ---- internals; callers hold the dataset's lock ----

    private Object lock(String dataset) {
        return locks.computeIfAbsent(dataset, k -> new Object());
    }

    /** The stored metadata of the latest version if it is that version's (not a deleted namesake's), else null. */
    private Published stored(String dataset, Manifest latest) {
        String location = io.location(metadataKey(dataset, latest.version()));
        TableMetadata md;
        try {
            md = TableMetadataParser.read(io, location);
        } catch (NotFoundException | dev.lakehouse.common.error.NotFound e) {
            return null;
        } catch (RuntimeException e) {
            log.warn("stored Iceberg metadata {} unreadable ({}); regenerating", location, e.toString());
            return null;
        }
        Snapshot s = md.currentSnapshot();
        if (s == null || s.snapshotId() != latest.version()
                || !latest.contentHash().equals(s.summary().get(SUMMARY_CONTENT_HASH))
                || !latest.createdAt().toString().equals(s.summary().get(SUMMARY_CREATED_AT))) {
            return null;
        }
        return new Published(dataset, latest.version(), latest.contentHash(), location, md, etag(TableMetadataParser.toJson(md)));
    }

    /** Replays versions {@code from+1 .. latest} onto {@code base} (null: a new table) and writes vN.metadata.json. */
    private Published replay(String dataset, TableMetadata base, int from, Manifest latest) {
        String tableLocation = io.location(StorageLayout.DATASETS_PREFIX + dataset);
        FieldIds ids = FieldIds.of(base == null ? List.of() : base.schemas());
        GeneratedTableOperations ops = new GeneratedTableOperations(io, tableLocation, base);
        Manifest prev = from == 0 ? null : versions.version(dataset, from);
        for (int v = from + 1; v <= latest.version(); v++) {
            Manifest m = v == latest.version() ? latest : versions.version(dataset, v);
            apply(dataset, tableLocation, ops, ids, prev, m);
            prev = m;
        }
        String json = TableMetadataParser.toJson(ops.current());
        String key = metadataKey(dataset, latest.version());
        try (OutputStream out = io.newOutputFile(io.location(key)).createOrOverwrite()) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + key, e);
        }
        Published p = new Published(dataset, latest.version(), latest.contentHash(), io.location(key),
                TableMetadata.buildFrom(ops.current()).discardChanges().withMetadataLocation(io.location(key)).build(),
                etag(json));
        published.put(dataset, p);
        generated.incrementAndGet();
        log.info("Iceberg metadata of {} at version {} ({} snapshot(s))", dataset, p.version(), p.metadata().snapshots().size());
        return p;
    }

    /** One dataset version as one Iceberg snapshot: its schema (a new one if it changed), then its files. */
    private void apply(String dataset, String tableLocation, GeneratedTableOperations ops, FieldIds ids, Manifest prev, Manifest m) {
        Schema schema = ids.schema(m.schema());
        Map<String, String> props = Map.of(
                TableProperties.FORMAT_VERSION, Integer.toString(FORMAT_VERSION),
                TableProperties.DEFAULT_NAME_MAPPING, ids.nameMappingJson());
        TableMetadata cur = ops.current();
        if (cur == null) {
            // the table's uuid follows from the dataset's first version, so regenerating keeps it (clients check it)
            UUID uuid = UUID.nameUUIDFromBytes((dataset + "@" + m.createdAt()).getBytes(StandardCharsets.UTF_8));
            ops.commit(null, TableMetadata.buildFromEmpty(FORMAT_VERSION)
                    .assignUUID(uuid.toString())
                    .setLocation(tableLocation)
                    .setCurrentSchema(schema, ids.lastId())
                    .setDefaultPartitionSpec(PartitionSpec.unpartitioned())
                    .setDefaultSortOrder(SortOrder.unsorted())
                    .setProperties(props)
                    .build());
        } else if (!schema.sameSchema(cur.schema()) || !props.equals(subset(cur.properties(), props.keySet()))) {
            ops.commit(cur, TableMetadata.buildFrom(cur).setCurrentSchema(schema, Math.max(ids.lastId(), cur.lastColumnId()))
                    .setProperties(props).build());
        }
        Set<String> before = new HashSet<>();
        if (prev != null) {
            prev.files().forEach(f -> before.add(f.key()));
        }
        Set<String> now = new HashSet<>();
        m.files().forEach(f -> now.add(f.key()));
        BaseTable table = new BaseTable(ops, dataset);
        ops.nextSnapshotId(m.version());
        OverwriteFiles overwrite = table.newOverwrite();
        if (prev != null) {
            for (FileEntry f : prev.files()) {
                if (!now.contains(f.key())) {
                    overwrite.deleteFile(dataFile(table.spec(), f));
                }
            }
        }
        for (FileEntry f : m.files()) {
            if (!before.contains(f.key())) {
                overwrite.addFile(dataFile(table.spec(), f));
            }
        }
        overwrite.set(SUMMARY_VERSION, Integer.toString(m.version()))
                .set(SUMMARY_CONTENT_HASH, m.contentHash())
                .set(SUMMARY_CREATED_AT, m.createdAt().toString())
                .commit();
    }

    private static Map<String, String> subset(Map<String, String> all, Set<String> keys) {
        Map<String, String> out = new HashMap<>();
        keys.forEach(k -> {
            if (all.containsKey(k)) {
                out.put(k, all.get(k));
            }
        });
        return out;
    }

    private DataFile dataFile(PartitionSpec spec, FileEntry f) {
        return DataFiles.builder(spec)
                .withPath(io.location(f.key()))
                .withFormat(FileFormat.PARQUET)
                .withFileSizeInBytes(f.bytes())
                .withRecordCount(f.rows())
                .build();
    }

    /** Deletes what a regeneration left behind: metadata objects the new table references nowhere. */
    private void removeUnreferenced(String dataset, Published p) {
        Set<String> keep = new HashSet<>();
        keep.add(io.keyOf(p.metadataLocation()));
        for (Snapshot s : p.metadata().snapshots()) {
            keep.add(io.keyOf(s.manifestListLocation()));
            for (ManifestFile mf : s.allManifests(io)) {
                keep.add(io.keyOf(mf.path()));
            }
        }
        int removed = 0;
        for (ObjectInfo o : storage.listAll(metadataPrefix(dataset))) {
            if (!keep.contains(o.key())) {
                storage.delete(o.key());
                removed++;
            }
        }
        if (removed > 0) {
            log.info("Iceberg metadata of {}: removed {} object(s) no snapshot references", dataset, removed);
        }
    }

    static String etag(String json) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(d, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
