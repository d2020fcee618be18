package dev.lakehouse.common.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes secrets files (TOML) so that only their owner can read them: a file readable by group or
 * others is refused before a key is read (the S3 keys and the fleet credential would be anyone's on the host),
 * and files are written 0600 from the first byte (created with the mode, then moved into place).
 */
public final class SecretsFile {
    private static final Set<PosixFilePermission> OPEN = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private SecretsFile() {}

    /** The flattened TOML of {@code file}; throws {@link IllegalStateException} if it is absent or group/world-accessible. */
    public static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("secrets file not found: " + file.toAbsolutePath()
                    + " (set LAKEHOUSE_SECRETS_FILE or secrets_file; `just up` writes a dev one under ./run)");
        }
        requirePrivate(file);
        return Config.readToml(file);
    }

    static void requirePrivate(Path file) {
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) == null) {
            return; // no POSIX modes on this file system: nothing to check
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(OPEN::contains)) {
                throw new IllegalStateException("secrets file " + file.toAbsolutePath() + " is readable or writable by group/others ("
                        + PosixFilePermissions.toString(perms) + "); run: chmod 600 " + file.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the permissions of " + file, e);
        }
    }

    /** Writes {@code toml} to {@code file} with mode 0600, atomically replacing any previous file. */
    public static void write(Path file, String toml) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(tmp, toml);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write secrets file " + file, e);
        }
    }
}
