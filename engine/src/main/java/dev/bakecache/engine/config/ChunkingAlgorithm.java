package dev.bakecache.engine.config;

/**
 * How large files are cut into chunks ({@code cache.cas.chunking.algorithm}).
 *
 * <p>{@code gear} and {@code fastcdc} select the same content-defined chunker here: FastCDC, whose
 * rolling hash is the Gear hash. The plan calls it {@code gear}, so both names are accepted and
 * kept apart in the enum for configs written either way; {@link #contentDefined()} is what a
 * chunker should switch on.
 */
public enum ChunkingAlgorithm {
    /** FastCDC (Gear rolling hash); the plan's default name. */
    GEAR("gear"),
    /** FastCDC; the same chunker as {@link #GEAR}. */
    FASTCDC("fastcdc"),
    /** Fixed-size chunks of {@code avgChunk} bytes; an insert shifts every later chunk, so dedup is poor. */
    FIXED("fixed");

    private final String id;

    ChunkingAlgorithm(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** True for the FastCDC family, whose cut points follow the content, not the offset. */
    public boolean contentDefined() {
        return this != FIXED;
    }

    /** Accepts {@code gear}, {@code FastCDC}, {@code fixed}; the error lists the choices. */
    public static ChunkingAlgorithm fromId(String value) {
        return Ids.lookup(values(), ChunkingAlgorithm::id, value, "chunking algorithm");
    }
}
