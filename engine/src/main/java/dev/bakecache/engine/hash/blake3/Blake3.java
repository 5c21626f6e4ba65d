package dev.bakecache.engine.hash.blake3;

import static dev.bakecache.engine.hash.blake3.Blake3Constants.BLOCK_LEN;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.CHUNK_LEN;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.IV;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.KEYED_HASH;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.KEY_LEN;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.OUT_LEN;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.PARENT;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.ROOT;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.WORDS_PER_BLOCK;
import static dev.bakecache.engine.hash.blake3.Blake3Constants.WORDS_PER_CV;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * BLAKE3 over a stream of bytes, with 32-byte output. Whole chunks are hashed in power-of-two
 * subtrees, many chunks and parents at once ({@link Compressor}); the chaining values of
 * finished subtrees wait on a stack and are merged lazily, as in the reference implementation,
 * because whether a node is the root is only known at {@link #finish()}.
 *
 * <p>A plain implementation of the function, returning bytes: the engine's {@code Hasher} and
 * {@code Digest} wrap it in {@code dev.bakecache.engine.hash}, which depends on this package and not
 * the other way round.
 */
public final class Blake3 {

    /**
     * Caps the subtree scratch at 8 KiB of chaining values; the few parents above a subtree are
     * merged on the stack, one at a time, which costs under 1 % at this size.
     */
    private static final int MAX_SUBTREE_CHUNKS = 256;
    /** Enough for 2^54 chunks, more than a long counts bytes of. */
    private static final int MAX_STACK_DEPTH = 54;
    private static final boolean VECTOR_API_PRESENT =
            ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private final int[] key;
    private final int flags;
    private final boolean vectorized;
    private final ChunkState chunk;
    private final int[] chunkCv = new int[WORDS_PER_CV];
    private final int[] cvStack = new int[MAX_STACK_DEPTH * WORDS_PER_CV];
    private int cvStackDepth;
    private Compressor compressor;
    private int[] subtreeCvs;
    private long size;

    private Blake3(int[] key, int flags, boolean vectorized) {
        this.key = key;
        this.flags = flags;
        this.vectorized = vectorized;
        this.chunk = new ChunkState(key, flags);
    }

    /** Whether the module {@code jdk.incubator.vector} is in the boot layer ({@code --add-modules jdk.incubator.vector}). */
    public static boolean vectorApiPresent() {
        return VECTOR_API_PRESENT;
    }

    /** A hasher that uses the Vector API when it is present, else plain Java. */
    public static Blake3 newHasher() {
        return new Blake3(IV, 0, VECTOR_API_PRESENT);
    }

    /** A hasher in plain Java only, whatever the machine offers. */
    public static Blake3 newScalarHasher() {
        return new Blake3(IV, 0, false);
    }

    /** BLAKE3's keyed mode (a MAC or PRF) with a 32-byte key; uses the Vector API when it is present. */
    public static Blake3 newKeyedHasher(byte[] key) {
        if (key.length != KEY_LEN) {
            throw new IllegalArgumentException("a BLAKE3 key has " + KEY_LEN + " bytes, got " + key.length);
        }
        int[] words = new int[WORDS_PER_CV];
        ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(words);
        return new Blake3(words, KEYED_HASH, VECTOR_API_PRESENT);
    }

    public void update(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        size += length;
        if (chunk.length() > 0) {
            int taken = chunk.update(data, offset, length);
            offset += taken;
            length -= taken;
            if (length == 0) {
                return;
            }
            // More input follows, so the full chunk is not the root.
            chunk.finish(0, chunkCv, 0);
            pushCv(chunkCv, 0, chunk.counter());
            chunk.reset(chunk.counter() + 1);
        }
        // Keeps at least one byte back while it can: the last chunk may turn out to be the root.
        while (length > CHUNK_LEN) {
            long counter = chunk.counter();
            int chunks = Math.min(MAX_SUBTREE_CHUNKS, Integer.highestOneBit(length / CHUNK_LEN));
            // A subtree must start where a complete subtree of its size starts in the whole tree.
            while ((counter & (chunks - 1)) != 0) {
                chunks >>>= 1;
            }
            Compressor compressor = compressor();
            compressor.hashChunks(data, offset, chunks, counter, subtreeCvs);
            if (chunks == 1) {
                pushCv(subtreeCvs, 0, counter);
            } else {
                // Stops at the subtree's two children: if the input ends here, their parent is the root.
                for (int nodes = chunks; nodes > 2; nodes >>>= 1) {
                    compressor.hashParents(subtreeCvs, nodes / 2);
                }
                pushCv(subtreeCvs, 0, counter);
                pushCv(subtreeCvs, WORDS_PER_CV, counter + chunks / 2);
            }
            chunk.reset(counter + chunks);
            offset += chunks * CHUNK_LEN;
            length -= chunks * CHUNK_LEN;
        }
        if (length > 0) {
            // Input follows the stacked subtrees, so merging them now cannot produce the root.
            mergeCvStack(chunk.counter());
            chunk.update(data, offset, length);
        }
    }

    /** Ends the hash: its 32 bytes. The hasher must not be used afterwards. */
    public byte[] finish() {
        int[] out = new int[WORDS_PER_CV];
        if (cvStackDepth == 0) {
            chunk.finish(ROOT, out, 0);
        } else {
            int[] parent = new int[WORDS_PER_BLOCK];
            int remaining = cvStackDepth;
            if (chunk.length() > 0) {
                chunk.finish(0, parent, WORDS_PER_CV);
            } else {
                remaining--;
                System.arraycopy(cvStack, remaining * WORDS_PER_CV, parent, WORDS_PER_CV, WORDS_PER_CV);
            }
            while (remaining > 0) {
                remaining--;
                System.arraycopy(cvStack, remaining * WORDS_PER_CV, parent, 0, WORDS_PER_CV);
                boolean root = remaining == 0;
                ScalarCompressor.compress(key, 0, parent, 0, 0, BLOCK_LEN, flags | PARENT | (root ? ROOT : 0),
                        root ? out : parent, root ? 0 : WORDS_PER_CV);
            }
        }
        byte[] bytes = new byte[OUT_LEN];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(out);
        return bytes;
    }

    /** How many bytes were hashed. */
    public long size() {
        return size;
    }

    /** Whether this hasher compresses with the Vector API. */
    public boolean vectorized() {
        return vectorized;
    }

    private void pushCv(int[] cvs, int offset, long chunkCounter) {
        mergeCvStack(chunkCounter);
        System.arraycopy(cvs, offset, cvStack, cvStackDepth * WORDS_PER_CV, WORDS_PER_CV);
        cvStackDepth++;
    }

    /**
     * Merges stacked siblings until the stack holds one subtree per 1-bit of {@code totalChunks}:
     * the shape of the tree over that many chunks with its last subtrees still open.
     */
    private void mergeCvStack(long totalChunks) {
        int depth = Long.bitCount(totalChunks);
        while (cvStackDepth > depth) {
            int left = (cvStackDepth - 2) * WORDS_PER_CV;
            ScalarCompressor.compress(key, 0, cvStack, left, 0, BLOCK_LEN, flags | PARENT, cvStack, left);
            cvStackDepth--;
        }
    }

    private Compressor compressor() {
        if (compressor == null) {
            compressor = vectorized ? new VectorCompressor(key, flags) : new ScalarCompressor(key, flags);
            subtreeCvs = new int[MAX_SUBTREE_CHUNKS * WORDS_PER_CV];
        }
        return compressor;
    }
}
