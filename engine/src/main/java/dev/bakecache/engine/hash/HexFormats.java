package dev.bakecache.engine.hash;

import java.util.HexFormat;

final class HexFormats {
    private static final HexFormat LOWER = HexFormat.of();

    private HexFormats() {
    }

    static String toHex(byte[] bytes) {
        return LOWER.formatHex(bytes);
    }
}
