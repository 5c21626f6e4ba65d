package dev.bakecache.engine.metrics;

/**
 * The counters jobs add to in {@link CacheMetrics}. Each has a stable id (the database key, the
 * JSON key, and the Prometheus name {@code bake_cache_<id>_total}) and a help text. Ids are never
 * renamed: Prometheus queries and dashboards depend on them. Requests to remotes are counted per
 * remote and kind instead ({@link RemoteRequest}).
 */
public enum Counter {
    RESTORE_HITS("restore_hits", "restores whose key had a manifest in the cache"),
    RESTORE_MISSES("restore_misses", "restores of a key with no manifest in the cache"),
    RESTORED_FILES("restored_files", "files restores wrote or hard-linked from the cache"),
    RESTORE_SKIPPED_FILES("restore_skipped_files", "files restores found already right and left alone"),
    DOWNLOADED_BYTES("downloaded_bytes", "bytes restores wrote from the cache into target directories"),
    INGESTED_FILES("ingested_files", "output files ingests stored or found unchanged"),
    INGESTED_BYTES("ingested_bytes", "bytes of the output files ingests stored or found unchanged"),
    INGEST_NEW_BLOBS("ingest_new_blobs", "blobs and chunks ingests stored because the cache lacked them"),
    UPLOADED_BYTES("uploaded_bytes", "content bytes of the blobs and chunks ingests stored"),
    EVICTED_BLOBS("evicted_blobs", "blobs and chunks eviction removed"),
    EVICTED_BYTES("evicted_bytes", "stored bytes eviction freed"),
    EVICTED_MANIFESTS("evicted_manifests", "manifests eviction removed"),
    GC_DELETED_BLOBS("gc_deleted_blobs", "unreferenced blobs and chunks garbage collection removed"),
    GC_DELETED_BYTES("gc_deleted_bytes", "stored bytes garbage collection freed"),
    VERIFIED_BLOBS("verified_blobs", "blobs and chunks verify rehashed"),
    QUARANTINED_BLOBS("quarantined_blobs", "corrupt blobs and chunks verify moved to quarantine/"),
    INVALID_MANIFESTS("invalid_manifests", "manifests verify found malformed, unsigned or wrongly signed"),
    QUARANTINED_MANIFESTS("quarantined_manifests", "manifests naming missing blobs that verify moved to quarantine/"),
    REPLICATED_BLOBS("replicated_blobs", "blobs and chunks replicate copied to another tier"),
    REPLICATED_BYTES("replicated_bytes", "stored bytes of the blobs and chunks replicate copied"),
    REPLICATED_MANIFESTS("replicated_manifests", "manifests replicate copied to another tier");

    private final String id;
    private final String help;

    Counter(String id, String help) {
        this.id = id;
        this.help = help;
    }

    /** Lower-case with underscores, e.g. {@code restore_hits}. */
    public String id() {
        return id;
    }

    /** What the counter counts, for humans and the Prometheus {@code # HELP} line. */
    public String help() {
        return help;
    }
}
