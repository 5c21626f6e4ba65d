package dev.bakecache.engine.manifest;

import dev.bakecache.engine.hash.Digest;

import java.util.List;
import java.util.Objects;

/**
 * One regular file of an action's outputs. A large file is stored as chunks: {@code chunks}
 * lists their digests in file order and {@code digest} is still the hash of the whole file, so a
 * restore verifies the reassembled file end to end.
 */
public record OutputFile(String path, Digest digest, boolean executable, List<Digest> chunks) {

    public OutputFile {
        InvalidManifestException.check(OutputPaths.problem(path));
        Objects.requireNonNull(digest, () -> "output file '" + path + "' has no digest");
        chunks = chunks == null ? List.of() : List.copyOf(chunks);
        if (!chunks.isEmpty()) {
            long sum = chunks.stream().mapToLong(Digest::size).sum();
            if (sum != digest.size()) {
                throw new InvalidManifestException("output file '" + path + "' has chunks adding up to " + sum
                        + " bytes but a size of " + digest.size());
            }
        }
    }

    public OutputFile(String path, Digest digest, boolean executable) {
        this(path, digest, executable, List.of());
    }

    public boolean hasChunks() {
        return !chunks.isEmpty();
    }
}
