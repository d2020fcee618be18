package dev.lakehouse.catalogd.iceberg;

import java.util.Map;
import org.apache.iceberg.LocationProviders;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;

/**
 * The table operations Iceberg's own snapshot producers commit to while {@link IcebergMetadata} replays a
 * dataset's versions: commits stay in memory (the caller writes the final {@code vN.metadata.json}); manifests
 * and manifest lists go to {@code {table}/metadata/}; the next snapshot's id is the dataset version being
 * replayed, so snapshot id = version.
 */
final class GeneratedTableOperations implements TableOperations {
    private final FileIO io;
    private final String location;
    private TableMetadata current;
    private long nextSnapshotId = -1;

    GeneratedTableOperations(FileIO io, String location, TableMetadata current) {
        this.io = io;
        this.location = location;
        this.current = current;
    }

    void nextSnapshotId(long id) {
        this.nextSnapshotId = id;
    }

    @Override
    public TableMetadata current() {
        return current;
    }

    @Override
    public TableMetadata refresh() {
        return current;
    }

    @Override
    public void commit(TableMetadata base, TableMetadata metadata) {
        if (base != current) {
            throw new CommitFailedException("generated metadata changed underneath a replay");
        }
        // settled as if read back from its file: a builder carries its changes forward, and Iceberg drops
        // snapshots it takes for intermediate ones of one transaction from the snapshot log (history)
        current = TableMetadataParser.fromJson(TableMetadataParser.toJson(metadata));
    }

    @Override
    public FileIO io() {
        return io;
    }

    @Override
    public String metadataFileLocation(String fileName) {
        return location + "/metadata/" + fileName;
    }

    @Override
    public LocationProvider locationProvider() {
        return LocationProviders.locationsFor(location, Map.of());
    }

    @Override
    public long newSnapshotId() {
        if (nextSnapshotId < 1) {
            throw new IllegalStateException("no dataset version set for the next snapshot");
        }
        return nextSnapshotId;
    }
}
