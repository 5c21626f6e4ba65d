package dev.bakecache.engine.bench;

/** What a measurement counts, and which way is better. */
public enum Unit {
    MILLISECONDS(false),
    MEGABYTES_PER_SECOND(true),
    BYTES(false);

    private final boolean higherIsBetter;

    Unit(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }
}
