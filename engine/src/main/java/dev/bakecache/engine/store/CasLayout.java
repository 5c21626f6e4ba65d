package dev.bakecache.engine.store;

import dev.bakecache.engine.hash.HashAlgorithm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where everything lives in a local cache root (the plan's layout):
 * <pre>
 *   cas/blobs/blake3/ab/&lt;hash&gt;   whole blobs (sha256/ beside it when chosen)
 *   cas/blobs/chunks/ab/&lt;hash&gt;   chunks of large files
 *   cas/index.sqlite              blob index
 *   ac/&lt;action key&gt;.json         signed manifests
 *   tmp/                          staging for atomic writes
 *   state/ingest/, state/restore/ stat records that let unchanged files be skipped
 *   state/migrate/                which legacy archive each migrated key came from
 *   quarantine/                   what verify found corrupt, kept for inspection
 *   metrics.sqlite                counters and latencies the jobs record, for stats
 * </pre>
 */
public record CasLayout(Path root) {

    public CasLayout {
        root = root.toAbsolutePath().normalize();
    }

    /** Blobs, chunks and their index; {@link #create} makes it, and only a cache root has it. */
    public Path casDir() {
        return root.resolve("cas");
    }

    public Path blobsDir(HashAlgorithm algorithm) {
        return casDir().resolve("blobs").resolve(algorithm.id());
    }

    public Path chunksDir() {
        return casDir().resolve("blobs").resolve("chunks");
    }

    public Path dir(BlobKind kind, HashAlgorithm algorithm) {
        return kind == BlobKind.CHUNK ? chunksDir() : blobsDir(algorithm);
    }

    public Path indexFile() {
        return casDir().resolve("index.sqlite");
    }

    public Path actionCacheDir() {
        return root.resolve("ac");
    }

    public Path tmpDir() {
        return root.resolve("tmp");
    }

    /** Per output directory: the stamps and digests of files last ingested from it. */
    public Path ingestStateDir() {
        return root.resolve("state").resolve("ingest");
    }

    /** Per target directory: the stamps of files last written there by a restore. */
    public Path restoreStateDir() {
        return root.resolve("state").resolve("restore");
    }

    /** Per action key migrated from a legacy archive: the archive's digest, so a re-run skips it. */
    public Path migrateStateDir() {
        return root.resolve("state").resolve("migrate");
    }

    /** Corrupt blobs ({@code blobs/}, {@code chunks/}) and broken manifests ({@code ac/}) that verify moved aside. */
    public Path quarantineDir() {
        return root.resolve("quarantine");
    }

    /** Counters and latency histograms of the jobs run on this cache, see {@code metrics.CacheMetrics}. */
    public Path metricsFile() {
        return root.resolve("metrics.sqlite");
    }

    /**
     * Whether a cache was created at this root: {@link #casDir} exists. Not the index, which
     * {@code cache.local.index: memory} keeps elsewhere; clean keeps the directory. Creates nothing.
     */
    public boolean exists() {
        return Files.isDirectory(casDir());
    }

    /** Creates the directories every writer needs; safe to call from several processes at once. */
    public CasLayout create(HashAlgorithm algorithm) throws IOException {
        Files.createDirectories(blobsDir(algorithm));
        Files.createDirectories(chunksDir());
        Files.createDirectories(actionCacheDir());
        Files.createDirectories(tmpDir());
        return this;
    }
}
