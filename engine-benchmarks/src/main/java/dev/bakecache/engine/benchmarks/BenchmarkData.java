package dev.bakecache.engine.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Benchmark inputs, generated from a fixed seed so that every run (and every machine) measures
 * the same bytes. No fixtures are stored.
 */
final class BenchmarkData {

    /** Size of every benchmark input: 16 MiB. */
    static final int SIZE = 16 << 20;

    static final long SEED = 20261125L;

    private BenchmarkData() {
    }

    /**
     * What a build output directory looks like to the cache: runs of text (sources, generated
     * code, logs), of already-compressed bytes (jars, images) and of structured binary (class
     * files, object code: small integers, offsets, repeated records), in blocks of 16 KiB to
     * 1 MiB, roughly 40/30/30 by count.
     */
    static byte[] mixed(int size, long seed) {
        Random random = new Random(seed);
        byte[] text = textLike(size, seed + 1);
        byte[] out = new byte[size];
        int position = 0;
        while (position < size) {
            int block = Math.min(size - position, (16 << 10) + random.nextInt(1 << 20));
            int kind = random.nextInt(10);
            if (kind < 4) {
                System.arraycopy(text, position, out, position, block);
            } else if (kind < 7) {
                byte[] noise = new byte[block];
                random.nextBytes(noise);
                System.arraycopy(noise, 0, out, position, block);
            } else {
                fillStructured(out, position, block, random);
            }
            position += block;
        }
        return out;
    }

    /**
     * Source-code-like text: indented lines of identifiers drawn with a skewed (roughly Zipfian)
     * frequency from a 4096-word vocabulary, with punctuation and numbers; a quarter of the lines
     * repeat one of the previous 64, as boilerplate does. zstd level 3 makes it about 3x smaller.
     */
    static byte[] textLike(int size, long seed) {
        Random random = new Random(seed);
        String[] vocabulary = new String[4096];
        String[] syllables = {"get", "set", "build", "cache", "blob", "hash", "chunk", "store", "read",
            "write", "task", "out", "in", "put", "key", "val", "list", "map", "file", "path", "dir",
            "id", "size", "len", "node", "tree", "log", "err", "ok", "re", "de", "un", "con", "ex",
            "im", "pro", "ment", "er", "ing", "ed", "tion", "able", "al", "ic", "ize", "or", "ar"};
        for (int i = 0; i < vocabulary.length; i++) {
            StringBuilder word = new StringBuilder();
            int parts = 1 + random.nextInt(3);
            for (int p = 0; p < parts; p++) {
                String syllable = syllables[random.nextInt(syllables.length)];
                word.append(p == 0 ? syllable
                        : Character.toUpperCase(syllable.charAt(0)) + syllable.substring(1));
            }
            vocabulary[i] = word.toString();
        }
        String[] punctuation = {" = ", "(", ");", ", ", ".", " + ", " { ", " }", "[", "]", " == ", ": "};
        StringBuilder sb = new StringBuilder(size + 256);
        int[] recentLineStarts = new int[64];
        int lines = 0;
        while (sb.length() < size) {
            int lineStart = sb.length();
            if (lines > recentLineStarts.length && random.nextInt(4) == 0) {
                // Boilerplate: imports, annotations, log prefixes and the like repeat.
                int from = recentLineStarts[random.nextInt(recentLineStarts.length)];
                int to = sb.indexOf("\n", from) + 1;
                sb.append(sb, from, to);
                recentLineStarts[lines++ % recentLineStarts.length] = lineStart;
                continue;
            }
            recentLineStarts[lines++ % recentLineStarts.length] = lineStart;
            sb.repeat(' ', 4 * random.nextInt(4));
            int words = 2 + random.nextInt(9);
            for (int w = 0; w < words; w++) {
                double r = random.nextDouble();
                sb.append(vocabulary[(int) (vocabulary.length * r * r * r)]);
                if (random.nextInt(6) == 0) {
                    sb.append(random.nextInt(100_000));
                }
                sb.append(punctuation[random.nextInt(punctuation.length)]);
            }
            sb.append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[size];
        System.arraycopy(bytes, 0, out, 0, size);
        return out;
    }

    /** Little-endian records of a tag, a small counter, an increasing offset and padding. */
    private static void fillStructured(byte[] out, int from, int length, Random random) {
        int end = from + length;
        int counter = random.nextInt(1000);
        int offset = random.nextInt(1 << 20);
        for (int i = from; i < end; ) {
            int tag = random.nextInt(8);
            offset += random.nextInt(256);
            int[] fields = {tag, counter++, offset, 0};
            for (int field : fields) {
                for (int b = 0; b < 4 && i < end; b++, i++) {
                    out[i] = (byte) (field >>> (8 * b));
                }
            }
        }
    }
}
