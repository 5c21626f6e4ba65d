package dev.bakecache.engine.hash;

import org.bouncycastle.crypto.digests.Blake3Digest;

/**
 * BLAKE3 through BouncyCastle: portable, but without SIMD (~160 MB/s on our build machines, JMH
 * 2026-11-25). Used only where the Vector API is missing (see docs/adr/0011).
 */
final class Blake3Hasher implements Hasher {
    private final Blake3Digest blake3 = new Blake3Digest(HashAlgorithm.DIGEST_BYTES * 8);
    private long size;

    @Override
    public void update(byte[] data, int offset, int length) {
        blake3.update(data, offset, length);
        size += length;
    }

    @Override
    public Digest finish() {
        byte[] out = new byte[HashAlgorithm.DIGEST_BYTES];
        blake3.doFinal(out, 0);
        return new Digest(HexFormats.toHex(out), size);
    }
}
