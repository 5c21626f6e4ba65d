package dev.bakecache.engine.progress;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * The text a job keeps in its step state for the progress of a run: counts, each followed by
 * {@code |}, then a tail of free text (a file name, say) that may hold any character, {@code |}
 * and line breaks included, because nothing is read after it.
 */
public final class ProgressToken {

    private ProgressToken() {
    }

    /** {@code count|count|...|tail}. */
    public static String of(long[] counts, String tail) {
        return LongStream.of(counts).mapToObj(c -> c + "|").collect(Collectors.joining()) + tail;
    }

    /** The counts of a token of {@link #of}; there must be {@code counts} of them. */
    public static long[] counts(String token, int counts, String what) {
        String[] parts = split(token, counts, what);
        return Arrays.stream(parts, 0, counts).mapToLong(Long::parseLong).toArray();
    }

    /** The tail of a token of {@link #of} with {@code counts} counts. */
    public static String tail(String token, int counts, String what) {
        return split(token, counts, what)[counts];
    }

    private static String[] split(String token, int counts, String what) {
        String[] parts = token.split("\\|", counts + 1);
        if (parts.length != counts + 1) {
            throw new IllegalArgumentException(what + " progress '" + token + "' has " + parts.length
                    + " parts, expected " + (counts + 1) + "; was it saved by another bake-cache version?");
        }
        return parts;
    }
}
