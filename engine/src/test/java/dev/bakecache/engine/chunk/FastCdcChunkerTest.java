package dev.bakecache.engine.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FastCdcChunkerTest {

    /** Small sizes, so that 64 MiB makes ~900 chunks and an edit's reach is visible. */
    private static final ChunkingParams SMALL = new ChunkingParams(16 << 10, 64 << 10, 256 << 10);

    private static final FastCdcChunker CHUNKER = new FastCdcChunker(SMALL);

    /** Chunks are compared by content hash, as the store will see them. */
    private static final HashAlgorithm CHUNK_HASH = HashAlgorithm.BLAKE3;

    /** 64 MiB of pseudo-random bytes, shared (read-only) by the tests that need a big input. */
    private static byte[] big;

    private static final Map<ChunkingParams, List<Digest>> BIG_CHUNK_DIGESTS = new HashMap<>();

    @BeforeAll
    static void generateBigInput() {
        big = randomBytes(64 << 20, 20261125L);
    }

    // ---- splitting is lossless and within bounds ----

    @Test
    void chunksConcatenateBackToTheInput() throws IOException {
        byte[] data = randomBytes(5_000_000, 1L);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();

        CHUNKER.split(new ByteArrayInputStream(data), joined::write);

        assertThat(joined.toByteArray()).isEqualTo(data);
    }

    @Test
    void boundariesTileTheInputWithoutGapsOrOverlaps() {
        byte[] data = randomBytes(5_000_000, 2L);

        List<ChunkBoundary> chunks = CHUNKER.boundaries(data);

        long expectedOffset = 0;
        for (ChunkBoundary chunk : chunks) {
            assertThat(chunk.offset()).isEqualTo(expectedOffset);
            expectedOffset = chunk.end();
        }
        assertThat(expectedOffset).isEqualTo(data.length);
    }

    @Test
    void everyChunkButTheLastIsBetweenMinAndMaxChunk() {
        List<ChunkBoundary> chunks = CHUNKER.boundaries(big);

        assertThat(chunks).hasSizeGreaterThan(500);
        for (ChunkBoundary chunk : chunks.subList(0, chunks.size() - 1)) {
            assertThat(chunk.length()).isBetween(SMALL.minChunk(), SMALL.maxChunk());
        }
        assertThat(chunks.getLast().length()).isBetween(1, SMALL.maxChunk());
    }

    @Test
    void theLastChunkMayBeShorterThanMinChunk() {
        byte[] data = randomBytes(3_000_000, 3L);
        List<ChunkBoundary> whole = CHUNKER.boundaries(data);
        int cutBeforeLast = (int) whole.getLast().offset();
        byte[] withShortTail = Arrays.copyOf(data, cutBeforeLast + 100);

        List<ChunkBoundary> chunks = CHUNKER.boundaries(withShortTail);

        assertThat(chunks.getLast()).isEqualTo(new ChunkBoundary(cutBeforeLast, 100));
    }

    @Test
    void inputNoLongerThanMinChunkIsASingleChunk() {
        byte[] data = randomBytes(SMALL.minChunk(), 4L);

        assertThat(CHUNKER.boundaries(data)).containsExactly(new ChunkBoundary(0, SMALL.minChunk()));
        assertThat(CHUNKER.nextCutPoint(data, 10, 5)).isEqualTo(5);
    }

    @Test
    void emptyInputGivesNoChunks() throws IOException {
        List<Integer> lengths = new ArrayList<>();

        long total = CHUNKER.split(InputStream.nullInputStream(), (buf, off, len) -> lengths.add(len));

        assertThat(total).isZero();
        assertThat(lengths).isEmpty();
        assertThat(CHUNKER.boundaries(new byte[0])).isEmpty();
        assertThat(CHUNKER.nextCutPoint(new byte[0], 0, 0)).isZero();
    }

    @Test
    void runsOfASingleByteValueAreCutAtExactlyMaxChunk() {
        // A run of equal bytes makes the Gear hash constant after 64 bytes; for this table and
        // these masks it never matches, so only the hard limit cuts.
        byte[] zeros = new byte[1_000_000];

        List<ChunkBoundary> chunks = CHUNKER.boundaries(zeros);

        for (ChunkBoundary chunk : chunks.subList(0, chunks.size() - 1)) {
            assertThat(chunk.length()).isEqualTo(SMALL.maxChunk());
        }
        assertThat(chunks.getLast().length()).isEqualTo(1_000_000 % SMALL.maxChunk());
    }

    @Test
    void nextCutPointLooksNoFurtherThanMaxChunkFromTheOffset() {
        byte[] zeros = new byte[SMALL.maxChunk() * 3];

        assertThat(CHUNKER.nextCutPoint(zeros, 12_345, zeros.length - 12_345)).isEqualTo(SMALL.maxChunk());
    }

    @Test
    void nextCutPointRejectsARangeOutsideTheArray() {
        byte[] data = new byte[100];

        assertThatThrownBy(() -> CHUNKER.nextCutPoint(data, 50, 51))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    // ---- determinism and stability ----

    @Test
    void sameInputGivesTheSameBoundariesFromEveryChunkerAndEveryApi() throws IOException {
        byte[] data = randomBytes(8_000_000, 5L);
        List<ChunkBoundary> expected = CHUNKER.boundaries(data);

        List<ChunkBoundary> again = new FastCdcChunker(SMALL).boundaries(data);
        List<ChunkBoundary> streamed = streamedBoundaries(new FastCdcChunker(SMALL), new ByteArrayInputStream(data));

        assertThat(again).isEqualTo(expected);
        assertThat(streamed).isEqualTo(expected);
    }

    @Test
    void streamingGivesTheSameBoundariesWhateverSizesTheStreamReadsReturn() throws IOException {
        byte[] data = randomBytes(3_000_000, 6L);
        // min/avg/max small enough that the split buffer starts larger than 2 * max, and large
        // enough that reads of a few bytes each force many refills and compactions.
        for (ChunkingParams params : List.of(
                new ChunkingParams(256, 1024, 4096),
                SMALL,
                new ChunkingParams(128 << 10, 512 << 10, 2 << 20))) {
            FastCdcChunker chunker = new FastCdcChunker(params);
            List<ChunkBoundary> expected = chunker.boundaries(data);

            for (int maxRead : new int[] {1, 7, 4096, 300_000, Integer.MAX_VALUE}) {
                InputStream choppy = new ChoppyInputStream(data, maxRead, new Random(maxRead));
                assertThat(streamedBoundaries(chunker, choppy))
                        .as("%s with reads of at most %d bytes", params, maxRead)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void streamingResumesHashingCorrectlyWhenTheBufferEndsInsideAChunk() throws IOException {
        // With max 512 the split buffer holds only 1 KiB, so nearly every chunk straddles a
        // refill, including chunks whose cut falls on the buffer's last byte.
        FastCdcChunker tiny = new FastCdcChunker(new ChunkingParams(64, 128, 512));
        Random random = new Random(14L);
        for (int round = 0; round < 200; round++) {
            byte[] data = randomBytes(random.nextInt(20_000), random.nextLong());
            if (round % 4 == 0) {
                Arrays.fill(data, data.length / 3, data.length / 2, (byte) 7); // a constant hash
            }

            assertThat(streamedBoundaries(tiny, new ChoppyInputStream(data, 300, random)))
                    .as("round %d, %d bytes", round, data.length)
                    .isEqualTo(tiny.boundaries(data));
        }
    }

    @Test
    void aCutFoundInPartOfTheInputIsTheSameAsWithAllOfIt() {
        byte[] data = randomBytes(2 * SMALL.maxChunk(), 7L);
        int fullCut = CHUNKER.nextCutPoint(data, 0, data.length);

        assertThat(fullCut).isLessThan(SMALL.maxChunk());
        assertThat(CHUNKER.nextCutPoint(data, 0, fullCut)).isEqualTo(fullCut);
        assertThat(CHUNKER.nextCutPoint(data, 0, fullCut + 1)).isEqualTo(fullCut);
        assertThat(CHUNKER.nextCutPoint(data, 0, SMALL.maxChunk() - 1)).isEqualTo(fullCut);
    }

    @Test
    void boundariesOfAFileMatchTheBoundariesOfItsBytes(@TempDir Path dir) throws IOException {
        byte[] data = randomBytes(4_000_000, 8L);
        Path file = Files.write(dir.resolve("blob.bin"), data);

        assertThat(CHUNKER.boundaries(file)).isEqualTo(CHUNKER.boundaries(data));
    }

    @Test
    void boundariesOfASliceAreRelativeToTheSlice() {
        byte[] data = randomBytes(2_000_000, 9L);
        byte[] padded = new byte[data.length + 1000];
        System.arraycopy(data, 0, padded, 777, data.length);

        assertThat(CHUNKER.boundaries(padded, 777, data.length)).isEqualTo(CHUNKER.boundaries(data));
    }

    @Test
    void gearTableIsTheFixedSplitMix64SequenceForTheDocumentedSeed() {
        assertThat(FastCdcChunker.GEAR_SEED).isEqualTo(0x62616B652D636463L);
        assertThat(FastCdcChunker.gear(0)).isEqualTo(PINNED_GEAR_0);
        assertThat(FastCdcChunker.gear(1)).isEqualTo(PINNED_GEAR_1);
        assertThat(FastCdcChunker.gear(255)).isEqualTo(PINNED_GEAR_255);
        // Today's JDK SplittableRandom is SplitMix64 too: an independent check of the generator
        // (only a check; the pinned values above are what must never change).
        SplittableRandom splitMix = new SplittableRandom(FastCdcChunker.GEAR_SEED);
        for (int b = 0; b < 256; b++) {
            assertThat(FastCdcChunker.gear(b)).as("GEAR[%d]", b).isEqualTo(splitMix.nextLong());
        }
    }

    @Test
    void boundariesOfAKnownInputNeverChangeBecauseDedupDependsOnThem() {
        // java.util.Random's sequence is fixed by its specification, so this input is the same
        // on every JVM. If this test fails, the chunker changed and every stored chunk goes stale.
        byte[] data = randomBytes(200_000, 42L);
        FastCdcChunker chunker = new FastCdcChunker(new ChunkingParams(1024, 4096, 16384));

        int[] lengths = chunker.boundaries(data).stream().mapToInt(ChunkBoundary::length).toArray();

        assertThat(lengths).startsWith(PINNED_LENGTHS);
        assertThat(lengths).hasSize(PINNED_CHUNK_COUNT);
    }

    @Test
    void masksFollowNormalizationLevelTwoAndLeaveTheTopBitClear() {
        FastCdcChunker chunker = new FastCdcChunker(SMALL); // avg 64 KiB = 2^16

        assertThat(Long.bitCount(chunker.maskS())).isEqualTo(18);
        assertThat(Long.bitCount(chunker.maskL())).isEqualTo(14);
        assertThat(chunker.maskS()).isEqualTo(0x3FFFFL << 45);
        assertThat(chunker.maskL()).isEqualTo(0x3FFFL << 49);
    }

    @Test
    void twoBytesPerStepLoopCutsExactlyWhereAByteAtATimeLoopDoes() {
        Random random = new Random(10L);
        byte[] data = randomBytes(3_000_000, 11L);
        List<ChunkingParams> cases = new ArrayList<>(List.of(
                SMALL,
                new ChunkingParams(64, 64, 64),
                new ChunkingParams(64, 128, 200),
                new ChunkingParams(65, 128, 301),
                new ChunkingParams(1000, 1024, 1024),
                new ChunkingParams(333, 2048, 99_999)));
        for (int i = 0; i < 10; i++) {
            int avgBits = 7 + random.nextInt(10);
            int avg = 1 << avgBits;
            int min = 64 + random.nextInt(avg - 63);
            int max = avg + random.nextInt(4 * avg);
            cases.add(new ChunkingParams(min, avg, max));
        }

        for (ChunkingParams params : cases) {
            FastCdcChunker chunker = new FastCdcChunker(params);
            int position = 0;
            while (position < data.length) {
                int expected = referenceCut(chunker, data, position, data.length - position);
                assertThat(chunker.nextCutPoint(data, position, data.length - position))
                        .as("%s at %d", params, position)
                        .isEqualTo(expected);
                position += expected;
            }
        }
    }

    // ---- the property that matters: edits change only nearby chunks ----

    @Test
    void insertingBytesNearTheStartChangesOnlyTheFirstChunksAndLeavesAllLaterChunksIdentical() {
        byte[] edited = insert(big, 1_000, "a few new bytes".getBytes(StandardCharsets.US_ASCII));

        assertOnlyLeadingChunksDiffer(CHUNKER, edited);
    }

    @Test
    void insertingBytesNearTheStartWithTheDefaultSizesLeavesAllLaterChunksIdentical() {
        byte[] edited = insert(big, 300_000, new byte[] {1, 2, 3, 4, 5, 6, 7});

        assertOnlyLeadingChunksDiffer(FastCdcChunker.withDefaults(), edited);
    }

    @Test
    void deletingBytesInTheMiddleChangesOnlyTheChunksAroundTheDeletion() {
        int at = (32 << 20) + 12_345;
        byte[] edited = delete(big, at, 100);

        assertOnlyChunksAroundTheEditDiffer(edited, at);
    }

    @Test
    void insertingBytesInTheMiddleChangesOnlyTheChunksAroundTheInsertion() {
        int at = (20 << 20) + 999;
        byte[] edited = insert(big, at, randomBytes(5_000, 12L));

        assertOnlyChunksAroundTheEditDiffer(edited, at);
    }

    @Test
    void overwritingBytesInTheMiddleChangesOnlyTheChunksHoldingThem() {
        int at = (40 << 20) + 4321;
        byte[] edited = big.clone();
        for (int i = 0; i < 16; i++) {
            edited[at + i] ^= (byte) 0x5A;
        }

        assertOnlyChunksAroundTheEditDiffer(edited, at);
    }

    @Test
    void meanChunkSizeIsCloseToAvgChunkAndMostChunksAreNearIt() {
        List<ChunkBoundary> chunks = CHUNKER.boundaries(big);
        int avg = SMALL.avgChunk();

        double mean = (double) big.length / chunks.size();
        long nearAverage = chunks.stream()
                .filter(c -> c.length() >= avg / 2 && c.length() <= 2 * avg)
                .count();

        // Normalized chunking (level 2, min = avg / 4) gives a mean of about 1.14 * avg.
        assertThat(mean).isBetween(0.9 * avg, 1.4 * avg);
        assertThat((double) nearAverage / chunks.size()).isGreaterThan(0.75);
    }

    // ---- errors ----

    @Test
    void anIOExceptionFromTheConsumerAbortsTheSplit() {
        byte[] data = randomBytes(1_000_000, 13L);
        int[] calls = {0};

        assertThatIOException()
                .isThrownBy(() -> CHUNKER.split(new ByteArrayInputStream(data), (buf, off, len) -> {
                    calls[0]++;
                    throw new IOException("disk full");
                }))
                .withMessage("disk full");
        assertThat(calls[0]).isEqualTo(1);
    }

    // ---- helpers ----

    // Pinned outputs of the current chunker; see the two "never change" tests above.
    private static final long PINNED_GEAR_0 = 0x6F4FABF055E39980L;
    private static final long PINNED_GEAR_1 = 0xDAAD3E162EC9B5F6L;
    private static final long PINNED_GEAR_255 = 0x437281C0C8E5DEE7L;
    private static final int[] PINNED_LENGTHS = {7323, 4201, 4934, 3061, 1059, 4160, 2913, 4106, 3463, 4395, 3208, 4647};
    private static final int PINNED_CHUNK_COUNT = 47;

    private static void assertOnlyLeadingChunksDiffer(FastCdcChunker chunker, byte[] edited) {
        List<Digest> before = bigChunkDigests(chunker);
        List<Digest> after = chunkDigests(chunker, edited);

        int shared = commonSuffix(before, after);

        assertThat(before.size() - shared).as("changed chunks of the original").isBetween(1, 2);
        assertThat(after.size() - shared).as("changed chunks of the edited input").isBetween(1, 2);
        long sharedBytes = before.subList(before.size() - shared, before.size()).stream()
                .mapToLong(Digest::size)
                .sum();
        assertThat(sharedBytes).isGreaterThanOrEqualTo(big.length - 2L * chunker.params().maxChunk());
    }

    private static void assertOnlyChunksAroundTheEditDiffer(byte[] edited, int editOffset) {
        List<Digest> before = bigChunkDigests(CHUNKER);
        List<Digest> after = chunkDigests(CHUNKER, edited);

        int prefix = commonPrefix(before, after);
        int suffix = commonSuffix(before, after);

        // The chunk holding the edit changes; rarely a cut moved by the edit changes its neighbour.
        assertThat(before.size() - prefix - suffix).as("changed chunks of the original").isBetween(1, 2);
        assertThat(after.size() - prefix - suffix).as("changed chunks of the edited input").isBetween(1, 2);
        long prefixBytes = before.subList(0, prefix).stream().mapToLong(Digest::size).sum();
        assertThat(prefixBytes).isLessThanOrEqualTo(editOffset)
                .isGreaterThan(editOffset - (long) SMALL.maxChunk());
    }

    /** The chunk digests of {@link #big}, computed once per chunk size setting. */
    private static List<Digest> bigChunkDigests(FastCdcChunker chunker) {
        return BIG_CHUNK_DIGESTS.computeIfAbsent(chunker.params(), params -> chunkDigests(chunker, big));
    }

    private static List<Digest> chunkDigests(FastCdcChunker chunker, byte[] data) {
        List<Digest> digests = new ArrayList<>();
        for (ChunkBoundary chunk : chunker.boundaries(data)) {
            digests.add(CHUNK_HASH.digest(data, (int) chunk.offset(), chunk.length()));
        }
        return digests;
    }

    private static int commonPrefix(List<Digest> a, List<Digest> b) {
        int n = 0;
        while (n < a.size() && n < b.size() && a.get(n).equals(b.get(n))) {
            n++;
        }
        return n;
    }

    private static int commonSuffix(List<Digest> a, List<Digest> b) {
        int n = 0;
        while (n < a.size() && n < b.size() && a.get(a.size() - 1 - n).equals(b.get(b.size() - 1 - n))) {
            n++;
        }
        return n;
    }

    /** Byte-at-a-time FastCDC with the chunker's table and masks: the paper's loop, unoptimised. */
    private static int referenceCut(FastCdcChunker chunker, byte[] buf, int offset, int length) {
        ChunkingParams p = chunker.params();
        if (length <= p.minChunk()) {
            return length;
        }
        int limit = Math.min(length, p.maxChunk());
        int normal = Math.min(limit, p.avgChunk());
        long hash = 0;
        for (int i = p.minChunk(); i < limit; i++) {
            hash = (hash << 1) + FastCdcChunker.gear(buf[offset + i] & 0xFF);
            long mask = i < normal ? chunker.maskS() : chunker.maskL();
            if ((hash & mask) == 0) {
                return i + 1;
            }
        }
        return limit;
    }

    private static List<ChunkBoundary> streamedBoundaries(FastCdcChunker chunker, InputStream in) throws IOException {
        List<ChunkBoundary> chunks = new ArrayList<>();
        long[] position = {0};
        chunker.split(in, (buf, off, len) -> {
            chunks.add(new ChunkBoundary(position[0], len));
            position[0] += len;
        });
        return chunks;
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static byte[] insert(byte[] data, int at, byte[] inserted) {
        byte[] out = new byte[data.length + inserted.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(data, at, out, at + inserted.length, data.length - at);
        return out;
    }

    private static byte[] delete(byte[] data, int at, int count) {
        byte[] out = new byte[data.length - count];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(data, at + count, out, at, data.length - at - count);
        return out;
    }

    /** Returns between 1 and {@code maxRead} bytes per read, as sockets and pipes may. */
    private static final class ChoppyInputStream extends InputStream {
        private final byte[] data;
        private final int maxRead;
        private final Random random;
        private int position;

        ChoppyInputStream(byte[] data, int maxRead, Random random) {
            this.data = data;
            this.maxRead = maxRead;
            this.random = random;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position == data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, data.length - position), 1 + random.nextInt(Math.min(maxRead, 1 << 24)));
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }
    }
}
