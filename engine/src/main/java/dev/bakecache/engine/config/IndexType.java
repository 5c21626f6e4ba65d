package dev.bakecache.engine.config;

/** Where the local tier keeps its blob index ({@code cache.local.index}). */
public enum IndexType {
    /** {@code cas/index.sqlite} beside the blobs, WAL mode; survives restarts. The default. */
    SQLITE("sqlite"),
    /** In memory only, rebuilt by scanning the blob directories at start; for tests and throwaway caches. */
    MEMORY("memory");

    private final String id;

    IndexType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static IndexType fromId(String value) {
        return Ids.lookup(values(), IndexType::id, value, "index type");
    }
}
