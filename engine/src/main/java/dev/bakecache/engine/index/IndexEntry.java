package dev.bakecache.engine.index;

import dev.bakecache.engine.compress.BlobFormat;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.InvalidDigestException;
import dev.bakecache.engine.store.BlobFile;
import dev.bakecache.engine.store.BlobKind;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One row of the blob index: what the local tier holds for a blob or chunk and how it has been
 * used. {@code size} is the content length, {@code storedSize} the length of the file on disk
 * (smaller when zstd-compressed), which is what eviction counts against the size limit.
 *
 * <p>{@code lastAccessed} orders eviction; {@code claimed} is the last time an ingest named the blob
 * in a manifest it was about to write (docs/adr/0008, 0015), {@link Instant#EPOCH} if none; a blob
 * was last used at the later of the two ({@link #lastUsed}).
 *
 * <p>The index keeps times as epoch milliseconds, so the times are truncated to whole milliseconds
 * here: an entry read back equals the entry written.
 */
public record IndexEntry(
        BlobKind kind,
        String hash,
        long size,
        long storedSize,
        BlobFormat compression,
        Instant created,
        Instant lastAccessed,
        long accessCount,
        Instant claimed) {

    public IndexEntry {
        Objects.requireNonNull(kind, "kind");
        String problem = Digest.hashProblem(hash);
        if (problem != null) {
            throw new InvalidDigestException(problem);
        }
        if (size < 0) {
            throw new IllegalArgumentException("size of " + kind + " " + hash + " must not be negative, got " + size);
        }
        if (storedSize < 0) {
            throw new IllegalArgumentException(
                    "stored size of " + kind + " " + hash + " must not be negative, got " + storedSize);
        }
        Objects.requireNonNull(compression, "compression");
        created = Objects.requireNonNull(created, "created").truncatedTo(ChronoUnit.MILLIS);
        lastAccessed = Objects.requireNonNull(lastAccessed, "lastAccessed").truncatedTo(ChronoUnit.MILLIS);
        if (accessCount < 0) {
            throw new IllegalArgumentException(
                    "access count of " + kind + " " + hash + " must not be negative, got " + accessCount);
        }
        claimed = Objects.requireNonNull(claimed, "claimed").truncatedTo(ChronoUnit.MILLIS);
    }

    /** An entry never claimed. */
    public IndexEntry(BlobKind kind, String hash, long size, long storedSize, BlobFormat compression, Instant created,
                      Instant lastAccessed, long accessCount) {
        this(kind, hash, size, storedSize, compression, created, lastAccessed, accessCount, Instant.EPOCH);
    }

    /** The later of the last read and the last claim: what gc's grace and eviction's margin compare. */
    public Instant lastUsed() {
        return claimed.isAfter(lastAccessed) ? claimed : lastAccessed;
    }

    /** A freshly stored blob: created and last accessed {@code now}, never read yet. */
    public static IndexEntry stored(BlobKind kind, Digest digest, long storedSize, BlobFormat compression, Instant now) {
        return new IndexEntry(kind, digest.hash(), digest.size(), storedSize, compression, now, now, 0);
    }

    /** A blob file found on disk without its entry: its mtime stands in for the unknown times of use. */
    public static IndexEntry found(BlobKind kind, BlobFile file) {
        return new IndexEntry(kind, file.hash(), file.size(), file.storedSize(), file.format(), file.modified(),
                file.modified(), 0);
    }

    /** The content digest (hash and content size). */
    public Digest digest() {
        return new Digest(hash, size);
    }
}
