package dev.lakehouse.catalogd;

import dev.lakehouse.common.error.BadGateway;
import java.util.Map;

/**
 * A manifest object in storage that is not a manifest of its dataset and version (unreadable JSON, missing
 * fields, a key whose version is out of range). Its dataset is marked failed; the rest of the catalog is not.
 */
final class CorruptManifest extends BadGateway {
    CorruptManifest(String key, String why) {
        super("manifest " + key + " in storage is unreadable: " + why, Map.of("code", "corrupt_manifest", "key", key));
    }
}
