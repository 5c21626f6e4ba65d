package dev.bakecache.engine.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 from the JDK, which uses the CPU's SHA extensions where present. */
final class Sha256Hasher implements Hasher {
    private final MessageDigest sha256;
    private long size;

    Sha256Hasher() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }

    @Override
    public void update(byte[] data, int offset, int length) {
        sha256.update(data, offset, length);
        size += length;
    }

    @Override
    public Digest finish() {
        return new Digest(HexFormats.toHex(sha256.digest()), size);
    }
}
