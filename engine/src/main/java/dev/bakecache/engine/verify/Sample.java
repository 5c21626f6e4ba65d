package dev.bakecache.engine.verify;

/**
 * Which blobs a {@code verify --sample N%} run rehashes. The choice is a function of the blob's
 * hash and a seed alone, so a run resumed after a crash samples exactly the blobs the killed run
 * would have; a new run (a new seed) samples others, so repeated runs cover the whole cache.
 *
 * @param percent share of blobs to check, 0 (exclusive) to 100
 * @param seed    varies the choice between runs
 */
public record Sample(double percent, long seed) {

    /** Every blob. */
    public static final Sample ALL = new Sample(100, 0);

    private static final long PARTS = 1_000_000;

    public Sample {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("a sample is more than 0% and at most 100%, got " + percent + "%");
        }
    }

    /** Parses {@code 10%} or {@code 10}. */
    public static Sample parse(String text, long seed) {
        String number = text.strip();
        if (number.endsWith("%")) {
            number = number.substring(0, number.length() - 1).strip();
        }
        try {
            return new Sample(Double.parseDouble(number), seed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sample '" + text + "' is not a percentage such as 10%");
        }
    }

    public boolean includes(String hash) {
        if (percent >= 100) {
            return true;
        }
        long mixed = mix(Long.parseUnsignedLong(hash.substring(0, 15), 16) ^ seed);
        return Long.remainderUnsigned(mixed, PARTS) < (long) (percent / 100 * PARTS);
    }

    /** SplitMix64's finaliser: spreads seed and hash bits over the whole word. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return percent >= 100 ? "all" : percent + "% sample";
    }
}
