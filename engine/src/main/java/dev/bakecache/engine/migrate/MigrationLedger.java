package dev.bakecache.engine.migrate;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.InvalidDigestException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Which archive each migrated key came from: one small file per key under
 * {@code state/migrate/}, holding the archive's digest. A re-run skips an archive whose digest
 * is recorded for its key while the key's manifest exists; a changed archive is migrated again.
 * Like the other state, it is a cache: losing it costs one more migration of the same archives.
 */
final class MigrationLedger {

    private final Path dir;
    private final Path tmpDir;

    MigrationLedger(Path dir, Path tmpDir) {
        this.dir = dir;
        this.tmpDir = tmpDir;
    }

    /** The digest of the archive {@code key} was last migrated from, if any (an unreadable record counts as none). */
    Optional<Digest> archiveOf(String key) throws IOException {
        try {
            return Optional.of(Digest.parse(Files.readString(dir.resolve(key), StandardCharsets.UTF_8).strip()));
        } catch (NoSuchFileException | InvalidDigestException e) {
            return Optional.empty();
        }
    }

    /** Records {@code archive} for {@code key}; written to {@code tmp/} and renamed, never half-written. */
    void record(String key, Digest archive) throws IOException {
        Files.createDirectories(dir);
        Files.createDirectories(tmpDir);
        Path tmp = Files.createTempFile(tmpDir, "migrate-", ".part");
        try {
            Files.writeString(tmp, archive + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    void forget(String key) throws IOException {
        Files.deleteIfExists(dir.resolve(key));
    }
}
