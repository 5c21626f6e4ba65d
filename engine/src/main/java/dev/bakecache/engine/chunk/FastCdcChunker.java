package dev.bakecache.engine.chunk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Content-defined chunking with FastCDC (Xia et al., USENIX ATC 2016; IEEE TPDS 2020).
 *
 * <p>A Gear rolling hash, {@code hash = (hash << 1) + GEAR[b]}, runs over the bytes after the
 * previous cut, and a chunk ends after the first byte at which the hash has all bits of a mask
 * clear. Because a byte's table value is shifted out after 64 more bytes, the decision depends
 * only on the preceding 64 bytes of content, so an insertion or deletion moves only the cuts
 * near it and the chunking re-synchronises after at most a chunk or two. The paper's three speed
 * and dedup measures are all here:
 *
 * <ul>
 *   <li><b>Cut-point skipping</b>: the first {@code minChunk} bytes of a chunk are not hashed
 *       at all; hashing starts at {@code minChunk}, from a zero hash.</li>
 *   <li><b>Normalized chunking, level 2</b>: before {@code avgChunk} the mask has
 *       {@code log2(avgChunk) + 2} bits (a cut is 4x less likely than 1/avg), from
 *       {@code avgChunk} on it has {@code log2(avgChunk) - 2} bits (4x more likely), which
 *       pulls chunk sizes towards the average.</li>
 *   <li><b>Rolling two bytes per step</b> (the 2020 paper): the loop shifts by two and uses a
 *       second table holding {@code GEAR[b] << 1}, testing the first byte's hash against the
 *       mask shifted left by one. This gives exactly the cuts of the byte-at-a-time loop with
 *       one shift per two bytes. It requires that no mask uses bit 63, so the masks take
 *       the bits just below it, the hash bits that depend on the most preceding bytes.</li>
 * </ul>
 *
 * <p>A chunk ends at the first content-defined cut, or at {@code maxChunk} bytes, or at the end
 * of the input; so every chunk but the last is within {@code [minChunk, maxChunk]}.
 *
 * <p><b>Stability.</b> Chunk boundaries decide which chunks dedup against earlier uploads, so
 * the Gear table, the masks and the cut rule must never change for a given
 * {@link ChunkingParams}. The table is generated at class initialisation by SplitMix64 (Steele,
 * Lea and Flood, OOPSLA 2014), written out here rather than taken from a JDK class so that it
 * cannot change with a JDK release, from the fixed seed {@code 0x62616B652D636463} (the ASCII bytes
 * of {@code "bake-cdc"}). Unit tests pin table entries and boundaries of a known input.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class FastCdcChunker {

    /** Seed of the Gear table: the ASCII bytes of {@code "bake-cdc"}, big-endian. */
    static final long GEAR_SEED = 0x62616B652D636463L;

    /** 256 pseudo-random 64-bit values, one per byte value. */
    private static final long[] GEAR = gearTable(GEAR_SEED);

    /** {@code GEAR[b] << 1}, for the first byte of a two-byte step. */
    private static final long[] GEAR_LS = shiftedLeft(GEAR);

    /** The largest read asked of the input stream at once. */
    private static final int READ_BLOCK = 1 << 20;

    /** The first buffer of {@link #split}, grown (up to twice the maximum) only for larger inputs. */
    private static final int INITIAL_BUFFER = 256 << 10;

    private final ChunkingParams params;
    private final int minChunk;
    private final int avgChunk;
    private final int maxChunk;
    private final long maskS;
    private final long maskL;
    private final long maskSLs;
    private final long maskLLs;

    public FastCdcChunker(ChunkingParams params) {
        this.params = Objects.requireNonNull(params, "params");
        this.minChunk = params.minChunk();
        this.avgChunk = params.avgChunk();
        this.maxChunk = params.maxChunk();
        this.maskS = mask(params.avgBits() + 2);
        this.maskL = mask(params.avgBits() - 2);
        this.maskSLs = maskS << 1;
        this.maskLLs = maskL << 1;
    }

    /** A chunker with {@link ChunkingParams#defaults()}. */
    public static FastCdcChunker withDefaults() {
        return new FastCdcChunker(ChunkingParams.defaults());
    }

    public ChunkingParams params() {
        return params;
    }

    /**
     * The length of the chunk that starts at {@code buf[offset]}, looking at no more than
     * {@code length} bytes: between 1 and {@code min(length, maxChunk)}, and at least
     * {@code minChunk} unless {@code length} is smaller.
     *
     * <p>When no content-defined cut is found, the result is {@code min(length, maxChunk)}. So
     * the caller must pass either at least {@code maxChunk} bytes or all the rest of its input;
     * a cut that is found in fewer bytes is the same as it would be with more.
     *
     * @return 0 only when {@code length} is 0
     */
    public int nextCutPoint(byte[] buf, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buf.length);
        if (length <= minChunk) {
            return length;
        }
        int limit = Math.min(length, maxChunk);
        int normal = Math.min(limit, avgChunk);
        int cut = scan(buf, offset + minChunk, offset + normal, offset + limit, 0, null);
        return cut >= 0 ? cut - offset : limit;
    }

    /**
     * The hot loop: continues the Gear hash {@code hash} over {@code buf[from, end)} and returns
     * the absolute index just past the first byte whose hash matches the mask ({@link #maskS}
     * before {@code normalEnd}, {@link #maskL} from there on). When no byte matches it returns
     * {@code ~end} (negative) and, if {@code hashOut} is given, leaves the hash in
     * {@code hashOut[0]} so that a later call can resume at {@code end}. Two bytes per step; no
     * allocation and no calls.
     */
    private int scan(byte[] buf, int from, int normalEnd, int end, long hash, long[] hashOut) {
        final long[] gear = GEAR;
        final long[] gearLs = GEAR_LS;
        int i = from;
        for (int phase = 0; phase < 2; phase++) { // up to the normal size with maskS, then with maskL
            int phaseEnd = phase == 0 ? normalEnd : end;
            long mask = phase == 0 ? maskS : maskL;
            long maskLs = phase == 0 ? maskSLs : maskLLs;
            for (; i < phaseEnd - 1; i += 2) {
                hash = (hash << 2) + gearLs[buf[i] & 0xFF];
                if ((hash & maskLs) == 0) {
                    return i + 1;
                }
                hash += gear[buf[i + 1] & 0xFF];
                if ((hash & mask) == 0) {
                    return i + 2;
                }
            }
            if (i < phaseEnd) {
                hash = (hash << 1) + gear[buf[i] & 0xFF];
                i++;
                if ((hash & mask) == 0) {
                    return i;
                }
            }
        }
        if (hashOut != null) {
            hashOut[0] = hash;
        }
        return ~end;
    }

    /**
     * Reads {@code in} to its end and hands each chunk, in order, to {@code consumer}; the
     * boundaries are exactly those of {@link #boundaries(byte[])} over the same bytes. An empty
     * stream gives no chunks. The stream is not closed.
     *
     * <p>Input is read into one buffer, at most 1 MiB per read, that starts at 256 KiB and grows
     * (to at most {@code 2 * maxChunk}) only while a chunk does not fit; small inputs therefore
     * stay small. Every byte is hashed once: when the buffer ends inside an unfinished chunk, the
     * chunk's bytes move to the front and hashing resumes where it stopped.
     *
     * @return the number of bytes read, which is the sum of the chunk lengths
     */
    public long split(InputStream in, ChunkConsumer consumer) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(consumer, "consumer");
        int capacityLimit = 2 * maxChunk;
        byte[] buf = new byte[Math.min(INITIAL_BUFFER, capacityLimit)];
        int start = 0;          // the unfinished chunk is buf[start, end)
        int end = 0;
        int scanned = 0;        // how much of it was hashed without a match; 0 when not started
        long[] hash = {0};      // the hash at buf[start + scanned] when scanned > 0
        boolean eof = false;
        long total = 0;
        while (true) {
            int pending = end - start;
            if (pending > 0) {
                int length = 0;
                if (pending > minChunk) {
                    int limit = Math.min(pending, maxChunk);
                    int normal = Math.min(limit, avgChunk);
                    int cut = scanned > 0
                            ? scan(buf, start + scanned, start + normal, start + limit, hash[0], hash)
                            : scan(buf, start + minChunk, start + normal, start + limit, 0, hash);
                    if (cut >= 0) {
                        length = cut - start;
                    } else if (limit == maxChunk || eof) {
                        length = limit;
                    } else {
                        scanned = limit;
                    }
                } else if (eof) {
                    length = pending;
                }
                if (length > 0) {
                    consumer.accept(buf, start, length);
                    start += length;
                    scanned = 0;
                    continue;
                }
            } else if (eof) {
                return total;
            }
            // The unfinished chunk needs more input: make room at the end of the buffer, fill it.
            if (end == buf.length) {
                if ((start > 0 && pending <= buf.length / 2) || buf.length == capacityLimit) {
                    System.arraycopy(buf, start, buf, 0, pending);
                } else {
                    byte[] bigger = new byte[(int) Math.min(2L * buf.length, capacityLimit)];
                    System.arraycopy(buf, start, bigger, 0, pending);
                    buf = bigger;
                }
                start = 0;
                end = pending;
            }
            while (end < buf.length) {
                int n = in.read(buf, end, Math.min(buf.length - end, READ_BLOCK));
                if (n < 0) {
                    eof = true;
                    break;
                }
                end += n;
                total += n;
            }
        }
    }

    /** The chunks of {@code data}, in order; none for an empty array. */
    public List<ChunkBoundary> boundaries(byte[] data) {
        return boundaries(data, 0, data.length);
    }

    /** The chunks of {@code data[offset, offset + length)}, with offsets relative to {@code offset}. */
    public List<ChunkBoundary> boundaries(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        List<ChunkBoundary> chunks = new ArrayList<>(length / avgChunk + 1);
        int position = 0;
        while (position < length) {
            int chunk = nextCutPoint(data, offset + position, length - position);
            chunks.add(new ChunkBoundary(position, chunk));
            position += chunk;
        }
        return chunks;
    }

    /** The chunks of a file, read as a stream (the file is not mapped or read whole). */
    public List<ChunkBoundary> boundaries(Path file) throws IOException {
        List<ChunkBoundary> chunks = new ArrayList<>();
        long[] position = {0};
        try (InputStream in = Files.newInputStream(file)) {
            split(in, (buf, offset, length) -> {
                chunks.add(new ChunkBoundary(position[0], length));
                position[0] += length;
            });
        }
        return chunks;
    }

    /** Gear table entry for byte value {@code b}; for tests that pin the table. */
    static long gear(int b) {
        return GEAR[b];
    }

    /** The mask tested before {@code avgChunk}; for tests. */
    long maskS() {
        return maskS;
    }

    /** The mask tested from {@code avgChunk} on; for tests. */
    long maskL() {
        return maskL;
    }

    /** {@code bits} consecutive one bits ending at bit 62, leaving bit 63 clear (see class doc). */
    static long mask(int bits) {
        if (bits < 1 || bits > 62) {
            throw new IllegalArgumentException("mask bits (" + bits + ") must be between 1 and 62");
        }
        return ((1L << bits) - 1) << (63 - bits);
    }

    private static long[] gearTable(long seed) {
        long[] table = new long[256];
        long state = seed;
        for (int i = 0; i < table.length; i++) {
            // SplitMix64: a Weyl sequence step, then a 64-bit finalising mix.
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            table[i] = z ^ (z >>> 31);
        }
        return table;
    }

    private static long[] shiftedLeft(long[] table) {
        long[] shifted = Arrays.copyOf(table, table.length);
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] <<= 1;
        }
        return shifted;
    }
}
