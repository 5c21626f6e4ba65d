package dev.bakecache.engine.hash.blake3;

/** The numbers the BLAKE3 specification fixes: sizes, domain flags, the IV and the message schedule. */
final class Blake3Constants {
    static final int BLOCK_LEN = 64;
    static final int CHUNK_LEN = 1024;
    static final int BLOCKS_PER_CHUNK = CHUNK_LEN / BLOCK_LEN;
    static final int WORDS_PER_BLOCK = 16;
    static final int WORDS_PER_CV = 8;
    static final int KEY_LEN = 32;
    static final int OUT_LEN = 32;
    static final int ROUNDS = 7;

    static final int CHUNK_START = 1;
    static final int CHUNK_END = 1 << 1;
    static final int PARENT = 1 << 2;
    static final int ROOT = 1 << 3;
    static final int KEYED_HASH = 1 << 4;

    static final int[] IV = {
            0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19};

    /**
     * {@code SCHEDULE[16 * r + i]} is the message word that round {@code r} feeds in position
     * {@code i}: the specification's permutation applied {@code r} times, precomputed so that
     * rounds index the block instead of shuffling it.
     */
    static final int[] SCHEDULE = schedule();

    private Blake3Constants() {
    }

    private static int[] schedule() {
        int[] permutation = {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8};
        int[] schedule = new int[ROUNDS * WORDS_PER_BLOCK];
        for (int i = 0; i < WORDS_PER_BLOCK; i++) {
            schedule[i] = i;
        }
        for (int r = 1; r < ROUNDS; r++) {
            for (int i = 0; i < WORDS_PER_BLOCK; i++) {
                schedule[r * WORDS_PER_BLOCK + i] = schedule[(r - 1) * WORDS_PER_BLOCK + permutation[i]];
            }
        }
        return schedule;
    }
}
