package dev.bakecache.engine.index;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Why {@link BlobIndex#openOrRecreate} rebuilt the index, where the old file went (null when there
 * was nothing worth keeping: it was missing or empty) and how many entries the rebuilt index
 * holds. Callers log it; {@link #toString()} is that line. A {@link Cause#MISSING} rebuild is what
 * a new cache's first run looks like, so it is worth an info line at most; the others deserve a
 * warning.
 */
public record IndexRebuild(Cause cause, String reason, Path movedAsideTo, long entries) {

    public enum Cause {
        /** There was no index file. */
        MISSING,
        /** The file was empty, or a database without any tables (an interrupted creation). */
        EMPTY,
        /** SQLite reported the file as damaged or not a database, or the integrity check failed. */
        CORRUPT,
        /** A readable SQLite database, but not a bake-cache index (no schema version, or no blobs table). */
        NOT_AN_INDEX
    }

    public IndexRebuild {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return "rebuilt blob index (" + reason + ") with " + entries + " entries"
                + (movedAsideTo == null ? "" : "; the old file was moved to " + movedAsideTo);
    }
}
