package dev.bakecache.engine.hash.blake3;

/**
 * Hashes many independent tree nodes at once, as the reference implementation's
 * {@code hash_many} does: whole chunks, or parents of two chaining values. An implementation
 * holds scratch space, so it belongs to one hasher and one thread.
 */
interface Compressor {

    /**
     * Writes the chaining values of {@code count} whole chunks of {@code input}, starting at
     * {@code offset} with chunk counter {@code counter}, to {@code cvs} (8 words each, from 0).
     */
    void hashChunks(byte[] input, int offset, int count, long counter, int[] cvs);

    /**
     * Replaces the first {@code 2 * count} chaining values in {@code cvs} by the {@code count}
     * parents of their consecutive pairs, written to the first {@code 8 * count} words.
     */
    void hashParents(int[] cvs, int count);
}
