package dev.bakecache.engine.hash.blake3;

import static dev.bakecache.engine.hash.blake3.Blake3Constants.BLOCKS_PER_CHUNK;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.BLOCK_LEN;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.CHUNK_END;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.CHUNK_LEN;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.CHUNK_START;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.IV;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.PARENT;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.ROUNDS;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.WORDS_PER_BLOCK;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.WORDS_PER_CV;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** One node at a time in plain Java: the path for tails, single chunks and machines without the Vector API. */
final class ScalarCompressor implements Compressor {

    private static final VarHandle LITTLE_ENDIAN_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final int[] key;
    private final int flags;
    private final int[] block = new int[WORDS_PER_BLOCK];

    ScalarCompressor(int[] key, int flags) {
        this.key = key;
        this.flags = flags;
    }

    @Override
    public void hashChunks(byte[] input, int offset, int count, long counter, int[] cvs) {
        for (int chunk = 0; chunk < count; chunk++) {
            int cv = chunk * WORDS_PER_CV;
            System.arraycopy(key, 0, cvs, cv, WORDS_PER_CV);
            for (int b = 0; b < BLOCKS_PER_CHUNK; b++) {
                readBlock(input, offset + chunk * CHUNK_LEN + b * BLOCK_LEN, block);
                int blockFlags = flags | (b == 0 ? CHUNK_START : 0) | (b == BLOCKS_PER_CHUNK - 1 ? CHUNK_END : 0);
                compress(cvs, cv, block, 0, counter + chunk, BLOCK_LEN, blockFlags, cvs, cv);
            }
        }
    }

    @Override
    public void hashParents(int[] cvs, int count) {
        for (int parent = 0; parent < count; parent++) {
            compress(key, 0, cvs, parent * WORDS_PER_BLOCK, 0, BLOCK_LEN, flags | PARENT, cvs, parent * WORDS_PER_CV);
        }
    }

    /** Decodes the 64 bytes at {@code offset} into 16 little-endian words. */
    static void readBlock(byte[] input, int offset, int[] words) {
        for (int i = 0; i < WORDS_PER_BLOCK; i++) {
            words[i] = (int) LITTLE_ENDIAN_INT.get(input, offset + 4 * i);
        }
    }

    /**
     * The compression function, keeping only the first half of its output: all that chaining
     * values and 32-byte digests need. Reads everything before it writes, so {@code out} may
     * overlap {@code cv} or {@code block}.
     */
    static void compress(int[] cv, int cvOffset, int[] block, int blockOffset, long counter, int blockLen, int flags,
                         int[] out, int outOffset) {
        int v0 = cv[cvOffset], v1 = cv[cvOffset + 1], v2 = cv[cvOffset + 2], v3 = cv[cvOffset + 3];
        int v4 = cv[cvOffset + 4], v5 = cv[cvOffset + 5], v6 = cv[cvOffset + 6], v7 = cv[cvOffset + 7];
        int v8 = IV[0], v9 = IV[1], v10 = IV[2], v11 = IV[3];
        int v12 = (int) counter, v13 = (int) (counter >>> 32), v14 = blockLen, v15 = flags;
        int m0 = block[blockOffset + 0], m1 = block[blockOffset + 1], m2 = block[blockOffset + 2], m3 = block[blockOffset + 3];
        int m4 = block[blockOffset + 4], m5 = block[blockOffset + 5], m6 = block[blockOffset + 6], m7 = block[blockOffset + 7];
        int m8 = block[blockOffset + 8], m9 = block[blockOffset + 9], m10 = block[blockOffset + 10], m11 = block[blockOffset + 11];
        int m12 = block[blockOffset + 12], m13 = block[blockOffset + 13], m14 = block[blockOffset + 14], m15 = block[blockOffset + 15];
        int t;
        for (int round = 0; round < ROUNDS; round++) {
            v0 += v4 + m0;
            v12 = Integer.rotateRight(v12 ^ v0, 16);
            v8 += v12;
            v4 = Integer.rotateRight(v4 ^ v8, 12);
            v0 += v4 + m1;
            v12 = Integer.rotateRight(v12 ^ v0, 8);
            v8 += v12;
            v4 = Integer.rotateRight(v4 ^ v8, 7);
            v1 += v5 + m2;
            v13 = Integer.rotateRight(v13 ^ v1, 16);
            v9 += v13;
            v5 = Integer.rotateRight(v5 ^ v9, 12);
            v1 += v5 + m3;
            v13 = Integer.rotateRight(v13 ^ v1, 8);
            v9 += v13;
            v5 = Integer.rotateRight(v5 ^ v9, 7);
            v2 += v6 + m4;
            v14 = Integer.rotateRight(v14 ^ v2, 16);
            v10 += v14;
            v6 = Integer.rotateRight(v6 ^ v10, 12);
            v2 += v6 + m5;
            v14 = Integer.rotateRight(v14 ^ v2, 8);
            v10 += v14;
            v6 = Integer.rotateRight(v6 ^ v10, 7);
            v3 += v7 + m6;
            v15 = Integer.rotateRight(v15 ^ v3, 16);
            v11 += v15;
            v7 = Integer.rotateRight(v7 ^ v11, 12);
            v3 += v7 + m7;
            v15 = Integer.rotateRight(v15 ^ v3, 8);
            v11 += v15;
            v7 = Integer.rotateRight(v7 ^ v11, 7);
            v0 += v5 + m8;
            v15 = Integer.rotateRight(v15 ^ v0, 16);
            v10 += v15;
            v5 = Integer.rotateRight(v5 ^ v10, 12);
            v0 += v5 + m9;
            v15 = Integer.rotateRight(v15 ^ v0, 8);
            v10 += v15;
            v5 = Integer.rotateRight(v5 ^ v10, 7);
            v1 += v6 + m10;
            v12 = Integer.rotateRight(v12 ^ v1, 16);
            v11 += v12;
            v6 = Integer.rotateRight(v6 ^ v11, 12);
            v1 += v6 + m11;
            v12 = Integer.rotateRight(v12 ^ v1, 8);
            v11 += v12;
            v6 = Integer.rotateRight(v6 ^ v11, 7);
            v2 += v7 + m12;
            v13 = Integer.rotateRight(v13 ^ v2, 16);
            v8 += v13;
            v7 = Integer.rotateRight(v7 ^ v8, 12);
            v2 += v7 + m13;
            v13 = Integer.rotateRight(v13 ^ v2, 8);
            v8 += v13;
            v7 = Integer.rotateRight(v7 ^ v8, 7);
            v3 += v4 + m14;
            v14 = Integer.rotateRight(v14 ^ v3, 16);
            v9 += v14;
            v4 = Integer.rotateRight(v4 ^ v9, 12);
            v3 += v4 + m15;
            v14 = Integer.rotateRight(v14 ^ v3, 8);
            v9 += v14;
            v4 = Integer.rotateRight(v4 ^ v9, 7);
            // The specification's message permutation, as renaming.
            t = m0;
            m0 = m2;
            m2 = m3;
            m3 = m10;
            m10 = m12;
            m12 = m9;
            m9 = m11;
            m11 = m5;
            m5 = t;
            t = m1;
            m1 = m6;
            m6 = m4;
            m4 = m7;
            m7 = m13;
            m13 = m14;
            m14 = m15;
            m15 = m8;
            m8 = t;
        }
        out[outOffset] = v0 ^ v8;
        out[outOffset + 1] = v1 ^ v9;
        out[outOffset + 2] = v2 ^ v10;
        out[outOffset + 3] = v3 ^ v11;
        out[outOffset + 4] = v4 ^ v12;
        out[outOffset + 5] = v5 ^ v13;
        out[outOffset + 6] = v6 ^ v14;
        out[outOffset + 7] = v7 ^ v15;
    }
}
