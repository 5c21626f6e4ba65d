package dev.bakecache.engine.bench;

import java.util.Locale;

/** What a measurement counts, and which way is better. */
public enum Unit {
    MILLISECONDS("ms", false),
    MEGABYTES_PER_SECOND("MB/s", true),
    BYTES("bytes", false);

    private final String symbol;
    private final boolean higherIsBetter;

    Unit(String symbol, boolean higherIsBetter) {
        this.symbol = symbol;
        this.higherIsBetter = higherIsBetter;
    }

    public String symbol() {
        return symbol;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** A value for people: bytes as KiB/MiB/GiB, times and speeds with sensible precision. */
    public String format(double value) {
        return switch (this) {
            case BYTES -> dev.bakecache.engine.config.ByteSize.format((long) value);
            case MILLISECONDS -> value < 10 ? String.format(Locale.ROOT, "%.2f ms", value)
                    : String.format(Locale.ROOT, "%.0f ms", value);
            case MEGABYTES_PER_SECOND -> String.format(Locale.ROOT, "%.0f MB/s", value);
        };
    }
}
