package dev.bakecache.engine.compress;

/**
 * Recognises data that is already compressed by its magic number, so it is stored raw instead
 * of being fed through zstd for nothing: archives (zip, jar, gzip, xz, bzip2, 7z, zstd, lz4) and
 * compressed media (png, jpeg, gif, webp).
 */
final class PrecompressedFormats {

    private static final byte[][] MAGICS = {
            {0x50, 0x4B, 0x03, 0x04},                                  // zip, jar, apk, docx
            {0x50, 0x4B, 0x05, 0x06},                                  // empty zip
            {0x1F, (byte) 0x8B},                                       // gzip, tgz
            {(byte) 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00},               // xz
            {0x42, 0x5A, 0x68},                                        // bzip2
            {0x37, 0x7A, (byte) 0xBC, (byte) 0xAF, 0x27, 0x1C},        // 7z
            {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD},                    // zstd
            {0x04, 0x22, 0x4D, 0x18},                                  // lz4 frame
            {(byte) 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A},   // png
            {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},                   // jpeg
            {0x47, 0x49, 0x46, 0x38},                                  // gif
    };

    private PrecompressedFormats() {
    }

    static boolean matches(byte[] head, int length) {
        for (byte[] magic : MAGICS) {
            if (startsWith(head, length, magic, 0)) {
                return true;
            }
        }
        return isWebp(head, length);
    }

    private static boolean isWebp(byte[] head, int length) {
        return startsWith(head, length, new byte[] {'R', 'I', 'F', 'F'}, 0)
                && startsWith(head, length, new byte[] {'W', 'E', 'B', 'P'}, 8);
    }

    private static boolean startsWith(byte[] head, int length, byte[] magic, int at) {
        if (length < at + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[at + i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
