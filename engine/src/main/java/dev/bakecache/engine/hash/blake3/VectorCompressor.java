package dev.bakecache.engine.hash.blake3;

import static dev.bakecache.engine.hash.blake3.Blake3Constants.BLOCKS_PER_CHUNK;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.BLOCK_LEN;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.CHUNK_END;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.CHUNK_LEN;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.CHUNK_START;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.IV;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.PARENT;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.ROUNDS;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.SCHEDULE;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.WORDS_PER_BLOCK;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.WORDS_PER_CV;
import static jdk.incubator.vector.VectorOperators.ROR;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Hashes as many nodes at once as the CPU has 32-bit vector lanes (16 with AVX-512, 8 with
 * AVX2): lane {@code j} of every state vector belongs to node {@code j}. Only this class
 * touches {@code jdk.incubator.vector}, so nothing else fails to load when that module is absent.
 */
final class VectorCompressor implements Compressor {

    private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;
    /**
     * With 16 lanes (AVX-512) a block is one vector, so 16 nodes' blocks are transposed in
     * registers: 64 two-vector permutes, which hash about 12 % faster overall than 16 gathers.
     */
    private static final boolean SIXTEEN_LANES = SPECIES.length() == 16;
    /**
     * Permute indexes for the transpose, in pairs per step {@code k} = 1, 2, 4, 8: each step
     * swaps the off-diagonal k-by-k blocks of rows {@code i} and {@code i + k}.
     */
    private static final int[] TRANSPOSE_INDEXES = transposeIndexes();
    private static final ValueLayout.OfInt LITTLE_ENDIAN_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int lanes = SPECIES.length();
    private final int[] key;
    private final int flags;
    private final ScalarCompressor scalar;
    /** One group's nodes, node after node: 256 words per chunk, 16 per parent. */
    private final int[] words = new int[lanes * CHUNK_LEN / 4];
    /** The block being compressed, transposed: word {@code w} of every lane at {@code w * lanes}. */
    private final int[] message = new int[WORDS_PER_BLOCK * lanes];
    /** {@link Blake3Constants#SCHEDULE} scaled to offsets in {@link #message}. */
    private final int[] schedule = new int[ROUNDS * WORDS_PER_BLOCK];
    private final int[] chunkStarts = new int[lanes];
    private final int[] parentStarts = new int[lanes];
    private final int[] counterLow = new int[lanes];
    private final int[] counterHigh = new int[lanes];
    /** The group's chaining values, transposed like {@link #message}. */
    private final int[] out = new int[WORDS_PER_CV * lanes];

    VectorCompressor(int[] key, int flags) {
        this.key = key;
        this.flags = flags;
        this.scalar = new ScalarCompressor(key, flags);
        for (int i = 0; i < schedule.length; i++) {
            schedule[i] = SCHEDULE[i] * lanes;
        }
        for (int lane = 0; lane < lanes; lane++) {
            chunkStarts[lane] = lane * CHUNK_LEN / 4;
            parentStarts[lane] = lane * WORDS_PER_BLOCK;
        }
    }

    @Override
    public void hashChunks(byte[] input, int offset, int count, long counter, int[] cvs) {
        if (count == 1) {
            scalar.hashChunks(input, offset, count, counter, cvs);
            return;
        }
        MemorySegment bytes = MemorySegment.ofArray(input);
        for (int first = 0; first < count; first += lanes) {
            int group = Math.min(lanes, count - first);
            MemorySegment.copy(bytes, LITTLE_ENDIAN_INT, offset + (long) first * CHUNK_LEN, words, 0, group * CHUNK_LEN / 4);
            for (int lane = 0; lane < lanes; lane++) {
                long laneCounter = counter + first + lane;
                counterLow[lane] = (int) laneCounter;
                counterHigh[lane] = (int) (laneCounter >>> 32);
            }
            compressGroup(chunkStarts, BLOCKS_PER_CHUNK, CHUNK_START, CHUNK_END,
                    IntVector.fromArray(SPECIES, counterLow, 0), IntVector.fromArray(SPECIES, counterHigh, 0));
            copyOut(cvs, first, group);
        }
    }

    @Override
    public void hashParents(int[] cvs, int count) {
        IntVector zero = IntVector.zero(SPECIES);
        for (int first = 0; first < count; first += lanes) {
            int group = Math.min(lanes, count - first);
            // A partial group's missing lanes then read stale words, not past the end of cvs.
            System.arraycopy(cvs, first * WORDS_PER_BLOCK, words, 0, group * WORDS_PER_BLOCK);
            compressGroup(parentStarts, 1, PARENT, 0, zero, zero);
            copyOut(cvs, first, group);
        }
    }

    private void copyOut(int[] cvs, int first, int group) {
        for (int lane = 0; lane < group; lane++) {
            int cv = (first + lane) * WORDS_PER_CV;
            for (int w = 0; w < WORDS_PER_CV; w++) {
                cvs[cv + w] = out[w * lanes + lane];
            }
        }
    }

    /**
     * Compresses {@code blocks} consecutive blocks of every lane's node in {@link #words} (node
     * {@code j} starting at {@code starts[j]}) and leaves the chaining values in {@link #out}.
     * Lanes beyond the group's nodes hash stale words; their results are never copied out.
     */
    private void compressGroup(int[] starts, int blocks, int startFlag, int endFlag, IntVector counterLow, IntVector counterHigh) {
        IntVector h0 = IntVector.broadcast(SPECIES, key[0]), h1 = IntVector.broadcast(SPECIES, key[1]);
        IntVector h2 = IntVector.broadcast(SPECIES, key[2]), h3 = IntVector.broadcast(SPECIES, key[3]);
        IntVector h4 = IntVector.broadcast(SPECIES, key[4]), h5 = IntVector.broadcast(SPECIES, key[5]);
        IntVector h6 = IntVector.broadcast(SPECIES, key[6]), h7 = IntVector.broadcast(SPECIES, key[7]);
        for (int b = 0; b < blocks; b++) {
            if (SIXTEEN_LANES) {
                transposeSixteen(starts, b * WORDS_PER_BLOCK);
            } else {
                for (int w = 0; w < WORDS_PER_BLOCK; w++) {
                    IntVector.fromArray(SPECIES, words, b * WORDS_PER_BLOCK + w, starts, 0).intoArray(message, w * lanes);
                }
            }
            int blockFlags = flags | (b == 0 ? startFlag : 0) | (b == blocks - 1 ? endFlag : 0);
            IntVector v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7;
            IntVector v8 = IntVector.broadcast(SPECIES, IV[0]), v9 = IntVector.broadcast(SPECIES, IV[1]);
            IntVector v10 = IntVector.broadcast(SPECIES, IV[2]), v11 = IntVector.broadcast(SPECIES, IV[3]);
            IntVector v12 = counterLow, v13 = counterHigh;
            IntVector v14 = IntVector.broadcast(SPECIES, BLOCK_LEN), v15 = IntVector.broadcast(SPECIES, blockFlags);
            for (int s = 0; s < ROUNDS * WORDS_PER_BLOCK; s += WORDS_PER_BLOCK) {
                v0 = v0.add(v4).add(IntVector.fromArray(SPECIES, message, schedule[s + 0]));
                v12 = v12.lanewise(XOR, v0).lanewise(ROR, 16);
                v8 = v8.add(v12);
                v4 = v4.lanewise(XOR, v8).lanewise(ROR, 12);
                v0 = v0.add(v4).add(IntVector.fromArray(SPECIES, message, schedule[s + 1]));
                v12 = v12.lanewise(XOR, v0).lanewise(ROR, 8);
                v8 = v8.add(v12);
                v4 = v4.lanewise(XOR, v8).lanewise(ROR, 7);
                v1 = v1.add(v5).add(IntVector.fromArray(SPECIES, message, schedule[s + 2]));
                v13 = v13.lanewise(XOR, v1).lanewise(ROR, 16);
                v9 = v9.add(v13);
                v5 = v5.lanewise(XOR, v9).lanewise(ROR, 12);
                v1 = v1.add(v5).add(IntVector.fromArray(SPECIES, message, schedule[s + 3]));
                v13 = v13.lanewise(XOR, v1).lanewise(ROR, 8);
                v9 = v9.add(v13);
                v5 = v5.lanewise(XOR, v9).lanewise(ROR, 7);
                v2 = v2.add(v6).add(IntVector.fromArray(SPECIES, message, schedule[s + 4]));
                v14 = v14.lanewise(XOR, v2).lanewise(ROR, 16);
                v10 = v10.add(v14);
                v6 = v6.lanewise(XOR, v10).lanewise(ROR, 12);
                v2 = v2.add(v6).add(IntVector.fromArray(SPECIES, message, schedule[s + 5]));
                v14 = v14.lanewise(XOR, v2).lanewise(ROR, 8);
                v10 = v10.add(v14);
                v6 = v6.lanewise(XOR, v10).lanewise(ROR, 7);
                v3 = v3.add(v7).add(IntVector.fromArray(SPECIES, message, schedule[s + 6]));
                v15 = v15.lanewise(XOR, v3).lanewise(ROR, 16);
                v11 = v11.add(v15);
                v7 = v7.lanewise(XOR, v11).lanewise(ROR, 12);
                v3 = v3.add(v7).add(IntVector.fromArray(SPECIES, message, schedule[s + 7]));
                v15 = v15.lanewise(XOR, v3).lanewise(ROR, 8);
                v11 = v11.add(v15);
                v7 = v7.lanewise(XOR, v11).lanewise(ROR, 7);
                v0 = v0.add(v5).add(IntVector.fromArray(SPECIES, message, schedule[s + 8]));
                v15 = v15.lanewise(XOR, v0).lanewise(ROR, 16);
                v10 = v10.add(v15);
                v5 = v5.lanewise(XOR, v10).lanewise(ROR, 12);
                v0 = v0.add(v5).add(IntVector.fromArray(SPECIES, message, schedule[s + 9]));
                v15 = v15.lanewise(XOR, v0).lanewise(ROR, 8);
                v10 = v10.add(v15);
                v5 = v5.lanewise(XOR, v10).lanewise(ROR, 7);
                v1 = v1.add(v6).add(IntVector.fromArray(SPECIES, message, schedule[s + 10]));
                v12 = v12.lanewise(XOR, v1).lanewise(ROR, 16);
                v11 = v11.add(v12);
                v6 = v6.lanewise(XOR, v11).lanewise(ROR, 12);
                v1 = v1.add(v6).add(IntVector.fromArray(SPECIES, message, schedule[s + 11]));
                v12 = v12.lanewise(XOR, v1).lanewise(ROR, 8);
                v11 = v11.add(v12);
                v6 = v6.lanewise(XOR, v11).lanewise(ROR, 7);
                v2 = v2.add(v7).add(IntVector.fromArray(SPECIES, message, schedule[s + 12]));
                v13 = v13.lanewise(XOR, v2).lanewise(ROR, 16);
                v8 = v8.add(v13);
                v7 = v7.lanewise(XOR, v8).lanewise(ROR, 12);
                v2 = v2.add(v7).add(IntVector.fromArray(SPECIES, message, schedule[s + 13]));
                v13 = v13.lanewise(XOR, v2).lanewise(ROR, 8);
                v8 = v8.add(v13);
                v7 = v7.lanewise(XOR, v8).lanewise(ROR, 7);
                v3 = v3.add(v4).add(IntVector.fromArray(SPECIES, message, schedule[s + 14]));
                v14 = v14.lanewise(XOR, v3).lanewise(ROR, 16);
                v9 = v9.add(v14);
                v4 = v4.lanewise(XOR, v9).lanewise(ROR, 12);
                v3 = v3.add(v4).add(IntVector.fromArray(SPECIES, message, schedule[s + 15]));
                v14 = v14.lanewise(XOR, v3).lanewise(ROR, 8);
                v9 = v9.add(v14);
                v4 = v4.lanewise(XOR, v9).lanewise(ROR, 7);
            }
            h0 = v0.lanewise(XOR, v8);
            h1 = v1.lanewise(XOR, v9);
            h2 = v2.lanewise(XOR, v10);
            h3 = v3.lanewise(XOR, v11);
            h4 = v4.lanewise(XOR, v12);
            h5 = v5.lanewise(XOR, v13);
            h6 = v6.lanewise(XOR, v14);
            h7 = v7.lanewise(XOR, v15);
        }
        h0.intoArray(out, 0);
        h1.intoArray(out, lanes);
        h2.intoArray(out, 2 * lanes);
        h3.intoArray(out, 3 * lanes);
        h4.intoArray(out, 4 * lanes);
        h5.intoArray(out, 5 * lanes);
        h6.intoArray(out, 6 * lanes);
        h7.intoArray(out, 7 * lanes);
    }

    /** Writes block {@code block} (a word offset) of the 16 nodes at {@code starts} to {@link #message}, transposed. */
    private void transposeSixteen(int[] starts, int block) {
        IntVector lo1 = IntVector.fromArray(SPECIES, TRANSPOSE_INDEXES, 0), hi1 = IntVector.fromArray(SPECIES, TRANSPOSE_INDEXES, 16);
        IntVector lo2 = IntVector.fromArray(SPECIES, TRANSPOSE_INDEXES, 32), hi2 = IntVector.fromArray(SPECIES, TRANSPOSE_INDEXES, 48);
        IntVector lo4 = IntVector.fromArray(SPECIES, TRANSPOSE_INDEXES, 64), hi4 = IntVector.fromArray(SPECIES, TRANSPOSE_INDEXES, 80);
        IntVector lo8 = IntVector.fromArray(SPECIES, TRANSPOSE_INDEXES, 96), hi8 = IntVector.fromArray(SPECIES, TRANSPOSE_INDEXES, 112);
        IntVector r0 = IntVector.fromArray(SPECIES, words, starts[0] + block);
        IntVector r1 = IntVector.fromArray(SPECIES, words, starts[1] + block);
        IntVector r2 = IntVector.fromArray(SPECIES, words, starts[2] + block);
        IntVector r3 = IntVector.fromArray(SPECIES, words, starts[3] + block);
        IntVector r4 = IntVector.fromArray(SPECIES, words, starts[4] + block);
        IntVector r5 = IntVector.fromArray(SPECIES, words, starts[5] + block);
        IntVector r6 = IntVector.fromArray(SPECIES, words, starts[6] + block);
        IntVector r7 = IntVector.fromArray(SPECIES, words, starts[7] + block);
        IntVector r8 = IntVector.fromArray(SPECIES, words, starts[8] + block);
        IntVector r9 = IntVector.fromArray(SPECIES, words, starts[9] + block);
        IntVector r10 = IntVector.fromArray(SPECIES, words, starts[10] + block);
        IntVector r11 = IntVector.fromArray(SPECIES, words, starts[11] + block);
        IntVector r12 = IntVector.fromArray(SPECIES, words, starts[12] + block);
        IntVector r13 = IntVector.fromArray(SPECIES, words, starts[13] + block);
        IntVector r14 = IntVector.fromArray(SPECIES, words, starts[14] + block);
        IntVector r15 = IntVector.fromArray(SPECIES, words, starts[15] + block);
        IntVector t;
        t = lo1.selectFrom(r0, r1); r1 = hi1.selectFrom(r0, r1); r0 = t;
        t = lo1.selectFrom(r2, r3); r3 = hi1.selectFrom(r2, r3); r2 = t;
        t = lo1.selectFrom(r4, r5); r5 = hi1.selectFrom(r4, r5); r4 = t;
        t = lo1.selectFrom(r6, r7); r7 = hi1.selectFrom(r6, r7); r6 = t;
        t = lo1.selectFrom(r8, r9); r9 = hi1.selectFrom(r8, r9); r8 = t;
        t = lo1.selectFrom(r10, r11); r11 = hi1.selectFrom(r10, r11); r10 = t;
        t = lo1.selectFrom(r12, r13); r13 = hi1.selectFrom(r12, r13); r12 = t;
        t = lo1.selectFrom(r14, r15); r15 = hi1.selectFrom(r14, r15); r14 = t;
        t = lo2.selectFrom(r0, r2); r2 = hi2.selectFrom(r0, r2); r0 = t;
        t = lo2.selectFrom(r1, r3); r3 = hi2.selectFrom(r1, r3); r1 = t;
        t = lo2.selectFrom(r4, r6); r6 = hi2.selectFrom(r4, r6); r4 = t;
        t = lo2.selectFrom(r5, r7); r7 = hi2.selectFrom(r5, r7); r5 = t;
        t = lo2.selectFrom(r8, r10); r10 = hi2.selectFrom(r8, r10); r8 = t;
        t = lo2.selectFrom(r9, r11); r11 = hi2.selectFrom(r9, r11); r9 = t;
        t = lo2.selectFrom(r12, r14); r14 = hi2.selectFrom(r12, r14); r12 = t;
        t = lo2.selectFrom(r13, r15); r15 = hi2.selectFrom(r13, r15); r13 = t;
        t = lo4.selectFrom(r0, r4); r4 = hi4.selectFrom(r0, r4); r0 = t;
        t = lo4.selectFrom(r1, r5); r5 = hi4.selectFrom(r1, r5); r1 = t;
        t = lo4.selectFrom(r2, r6); r6 = hi4.selectFrom(r2, r6); r2 = t;
        t = lo4.selectFrom(r3, r7); r7 = hi4.selectFrom(r3, r7); r3 = t;
        t = lo4.selectFrom(r8, r12); r12 = hi4.selectFrom(r8, r12); r8 = t;
        t = lo4.selectFrom(r9, r13); r13 = hi4.selectFrom(r9, r13); r9 = t;
        t = lo4.selectFrom(r10, r14); r14 = hi4.selectFrom(r10, r14); r10 = t;
        t = lo4.selectFrom(r11, r15); r15 = hi4.selectFrom(r11, r15); r11 = t;
        t = lo8.selectFrom(r0, r8); r8 = hi8.selectFrom(r0, r8); r0 = t;
        t = lo8.selectFrom(r1, r9); r9 = hi8.selectFrom(r1, r9); r1 = t;
        t = lo8.selectFrom(r2, r10); r10 = hi8.selectFrom(r2, r10); r2 = t;
        t = lo8.selectFrom(r3, r11); r11 = hi8.selectFrom(r3, r11); r3 = t;
        t = lo8.selectFrom(r4, r12); r12 = hi8.selectFrom(r4, r12); r4 = t;
        t = lo8.selectFrom(r5, r13); r13 = hi8.selectFrom(r5, r13); r5 = t;
        t = lo8.selectFrom(r6, r14); r14 = hi8.selectFrom(r6, r14); r6 = t;
        t = lo8.selectFrom(r7, r15); r15 = hi8.selectFrom(r7, r15); r7 = t;
        r0.intoArray(message, 0 * 16);
        r1.intoArray(message, 1 * 16);
        r2.intoArray(message, 2 * 16);
        r3.intoArray(message, 3 * 16);
        r4.intoArray(message, 4 * 16);
        r5.intoArray(message, 5 * 16);
        r6.intoArray(message, 6 * 16);
        r7.intoArray(message, 7 * 16);
        r8.intoArray(message, 8 * 16);
        r9.intoArray(message, 9 * 16);
        r10.intoArray(message, 10 * 16);
        r11.intoArray(message, 11 * 16);
        r12.intoArray(message, 12 * 16);
        r13.intoArray(message, 13 * 16);
        r14.intoArray(message, 14 * 16);
        r15.intoArray(message, 15 * 16);
    }

    private static int[] transposeIndexes() {
        int[] indexes = new int[8 * 16];
        int row = 0;
        for (int k = 1; k < 16; k <<= 1, row += 2) {
            for (int lane = 0; lane < 16; lane++) {
                boolean keep = (lane & k) == 0;
                // Indexes 16..31 select from the second vector.
                indexes[row * 16 + lane] = keep ? lane : 16 + lane - k;
                indexes[(row + 1) * 16 + lane] = keep ? lane + k : 16 + lane;
            }
        }
        return indexes;
    }
}
