package dev.bakecache.engine.hash.blake3;

import static dev.bakecache.engine.hash.blake3.Blake3Constants.BLOCK_LEN;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.CHUNK_END;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.CHUNK_LEN;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.CHUNK_START;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.WORDS_PER_BLOCK;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.WORDS_PER_CV;

import java.util.Arrays;

/**
 * The chunk that input is arriving in, hashed block by block. Its last block stays buffered
 * until more input arrives, because only then is it known not to end the chunk (or the whole
 * input, where it gets the ROOT flag).
 */
final class ChunkState {
    private final int[] key;
    private final int flags;
    private final int[] cv = new int[WORDS_PER_CV];
    private final byte[] block = new byte[BLOCK_LEN];
    private final int[] blockWords = new int[WORDS_PER_BLOCK];
    private int blockLen;
    private int blocksCompressed;
    private long counter;

    ChunkState(int[] key, int flags) {
        this.key = key;
        this.flags = flags;
        System.arraycopy(key, 0, cv, 0, WORDS_PER_CV);
    }

    long counter() {
        return counter;
    }

    int length() {
        return blocksCompressed * BLOCK_LEN + blockLen;
    }

    /** Starts chunk number {@code counter}, empty. */
    void reset(long counter) {
        System.arraycopy(key, 0, cv, 0, WORDS_PER_CV);
        blockLen = 0;
        blocksCompressed = 0;
        this.counter = counter;
    }

    /** Takes up to what is left of the chunk from {@code input}; returns how many bytes it took. */
    int update(byte[] input, int offset, int length) {
        int taken = Math.min(length, CHUNK_LEN - length());
        int end = offset + taken;
        while (offset < end) {
            if (blockLen == BLOCK_LEN) {
                ScalarCompressor.readBlock(block, 0, blockWords);
                ScalarCompressor.compress(cv, 0, blockWords, 0, counter, BLOCK_LEN, flags | startFlag(), cv, 0);
                blocksCompressed++;
                blockLen = 0;
            }
            int n = Math.min(BLOCK_LEN - blockLen, end - offset);
            System.arraycopy(input, offset, block, blockLen, n);
            blockLen += n;
            offset += n;
        }
        return taken;
    }

    /** Compresses the buffered last block with {@code extraFlags} (ROOT or none) into {@code out}. */
    void finish(int extraFlags, int[] out, int outOffset) {
        Arrays.fill(block, blockLen, BLOCK_LEN, (byte) 0);
        ScalarCompressor.readBlock(block, 0, blockWords);
        ScalarCompressor.compress(cv, 0, blockWords, 0, counter, blockLen, flags | startFlag() | CHUNK_END | extraFlags,
                out, outOffset);
    }

    private int startFlag() {
        return blocksCompressed == 0 ? CHUNK_START : 0;
    }
}
