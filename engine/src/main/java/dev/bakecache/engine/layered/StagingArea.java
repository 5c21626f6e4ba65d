package dev.bakecache.engine.layered;

import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.store.StoredForm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The local tier's {@code tmp/}, where a tier's stored bytes of a blob are copied and checked
 * before anyone reads them: so a corrupt copy is passed over for the next tier's instead of
 * reaching a reader, and the same checked bytes can be promoted to the other tiers. Staging files
 * end in {@code .part}, so gc removes those a killed process leaves.
 */
record StagingArea(Path dir, HashAlgorithm algorithm) {

    /** Nothing stays behind on failure; a copy that fails its check throws a BlobCorruptedException. */
    StagedBlob stage(InputStream stored, String hash, String where) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "layered-" + hash.substring(0, Math.min(16, hash.length())) + "-",
                ".part");
        try (stored) {
            Files.copy(stored, file, StandardCopyOption.REPLACE_EXISTING);
            return new StagedBlob(file, StoredForm.verify(file, algorithm, hash, "copy of " + hash + " from " + where));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }
}
