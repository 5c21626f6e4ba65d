package dev.bakecache.engine.manifest;

import java.io.IOException;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A tier's manifests as stored bytes, one per action key. Nothing here signs or verifies:
 * whoever reads a manifest parses and checks it ({@code ManifestJson}, {@code ManifestSigner}),
 * so a manifest is trusted for its signature, never for the tier it came from.
 */
public interface ManifestStore {

    /** The stored bytes, or empty when the tier has no manifest for the key. */
    Optional<byte[]> getBytes(String actionKey) throws IOException;

    /** Replaces any earlier manifest of the key; readers see the old bytes or the new, never a mix. */
    void putBytes(String actionKey, byte[] manifestJson) throws IOException;

    boolean contains(String actionKey) throws IOException;

    /** @return true if the manifest existed and was removed */
    boolean delete(String actionKey) throws IOException;

    /** Every action key with a manifest, in no particular order. Close the stream when done. */
    Stream<String> keys() throws IOException;
}
