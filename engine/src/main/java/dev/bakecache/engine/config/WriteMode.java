package dev.bakecache.engine.config;

/**
 * Which tiers a write reaches ({@code cache.writeMode}); see docs/adr/0012-layered-tiers.md.
 * Reads are governed by {@link CacheStrategy} alone.
 */
public enum WriteMode {
    /** Every tier the strategy uses: the local tier and each remote. The default under remoteOnly. */
    WRITE_THROUGH("writeThrough"),
    /** The local tier only; remotes receive blobs when they are replicated. The default otherwise. */
    WRITE_LOCAL("writeLocal");

    private final String id;

    WriteMode(String id) {
        this.id = id;
    }

    /** The camelCase name used in config files. */
    public String id() {
        return id;
    }

    /** Accepts {@code writeThrough}, {@code write-through}, {@code WRITE_THROUGH}, ...; the error lists the choices. */
    public static WriteMode fromId(String value) {
        return Ids.lookup(values(), WriteMode::id, value, "write mode");
    }
}
