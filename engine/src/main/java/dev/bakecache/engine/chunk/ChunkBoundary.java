package dev.bakecache.engine.chunk;

/** Where one chunk sits in its input: {@code length} bytes starting at byte {@code offset}. */
public record ChunkBoundary(long offset, int length) {

    public ChunkBoundary {
        if (offset < 0) {
            throw new IllegalArgumentException("offset (" + offset + ") must not be negative");
        }
        if (length <= 0) {
            throw new IllegalArgumentException("length (" + length + ") must be positive");
        }
    }

    /** The offset just past the chunk's last byte. */
    public long end() {
        return offset + length;
    }
}
