package dev.bakecache.engine.compress;

/**
 * How a blob's bytes sit in its file. A zstd blob is one zstd frame and so starts with the zstd
 * magic number; a raw blob is the content itself, byte for byte, so it can be hard-linked into a
 * restored tree. Content that itself starts with the zstd magic is always stored as ZSTD, which
 * keeps the leading bytes an unambiguous format marker (docs/adr/0002).
 */
public enum BlobFormat {
    RAW,
    ZSTD;

    private static final byte[] ZSTD_MAGIC = {(byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD};

    /** Decides the format of a stored blob from its first bytes (at least 4 when there are 4). */
    public static BlobFormat ofStoredBytes(byte[] head, int length) {
        return startsWithZstdMagic(head, length) ? ZSTD : RAW;
    }

    static boolean startsWithZstdMagic(byte[] head, int length) {
        if (length < ZSTD_MAGIC.length) {
            return false;
        }
        for (int i = 0; i < ZSTD_MAGIC.length; i++) {
            if (head[i] != ZSTD_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
