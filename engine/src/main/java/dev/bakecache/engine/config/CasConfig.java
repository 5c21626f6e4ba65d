package dev.bakecache.engine.config;

import dev.bakecache.engine.hash.HashAlgorithm;

/**
 * How content is addressed and stored ({@code cache.cas}).
 *
 * @param hashAlgorithm the digest blobs are keyed by
 * @param compression zstd settings
 * @param chunking chunking of large files
 */
public record CasConfig(HashAlgorithm hashAlgorithm, CompressionConfig compression, ChunkingConfig chunking) {

    public CasConfig {
        Checks checks = new Checks();
        checks.require(hashAlgorithm != null, "hashAlgorithm", "is required (blake3 or sha256)");
        checks.require(compression != null, "compression", "is required");
        checks.require(chunking != null, "chunking", "is required");
        checks.throwIfAny();
    }

    /** BLAKE3 with the default compression and chunking. */
    public static CasConfig defaults() {
        return new CasConfig(HashAlgorithm.BLAKE3, CompressionConfig.defaults(), ChunkingConfig.defaults());
    }
}
