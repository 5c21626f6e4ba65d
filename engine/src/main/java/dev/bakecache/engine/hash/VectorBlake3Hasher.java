package dev.bakecache.engine.hash;

import dev.bakecache.engine.hash.blake3.Blake3;

/** BLAKE3 through our own implementation ({@link Blake3}, SIMD through the Vector API; docs/adr/0011). */
final class VectorBlake3Hasher implements Hasher {
    private final Blake3 blake3 = Blake3.newHasher();

    @Override
    public void update(byte[] data, int offset, int length) {
        blake3.update(data, offset, length);
    }

    @Override
    public Digest finish() {
        return new Digest(HexFormats.toHex(blake3.finish()), blake3.size());
    }
}
