package dev.bakecache.engine.config;

/** Which tiers a build reads from and writes to, and in what order ({@code cache.strategy}). */
public enum CacheStrategy {
    /** The local tier only; remotes are configured but not used. */
    LOCAL_ONLY("localOnly"),
    /** The remotes only; nothing is kept on local disk. */
    REMOTE_ONLY("remoteOnly"),
    /** Look in the local tier first, then the remotes; the default. */
    LOCAL_FIRST("localFirst"),
    /** Look in the remotes first, then the local tier. */
    REMOTE_FIRST("remoteFirst"),
    /** No caching at all. */
    DISABLED("disabled");

    private final String id;

    CacheStrategy(String id) {
        this.id = id;
    }

    /** The camelCase name used in config files. */
    public String id() {
        return id;
    }

    public boolean usesLocal() {
        return this == LOCAL_ONLY || this == LOCAL_FIRST || this == REMOTE_FIRST;
    }

    public boolean usesRemotes() {
        return this == REMOTE_ONLY || this == LOCAL_FIRST || this == REMOTE_FIRST;
    }

    /** Accepts {@code localFirst}, {@code local-first}, {@code LOCAL_FIRST}, ...; the error lists the choices. */
    public static CacheStrategy fromId(String value) {
        return Ids.lookup(values(), CacheStrategy::id, value, "cache strategy");
    }
}
