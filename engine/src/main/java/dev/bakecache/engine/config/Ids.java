package dev.bakecache.engine.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Looks up a config enum by its id the same lenient way the engine's other enums do. */
final class Ids {

    private Ids() {
    }

    /**
     * Accepts the id in any case and with or without {@code -} or {@code _}, so {@code localFirst},
     * {@code local-first} and {@code LOCAL_FIRST} are the same value.
     */
    static <E extends Enum<E>> E lookup(E[] values, Function<E, String> id, String value, String what) {
        String wanted = normalize(value);
        for (E candidate : values) {
            if (normalize(id.apply(candidate)).equals(wanted)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + value + "', expected one of "
                + Arrays.stream(values).map(id).collect(Collectors.joining(", ")));
    }

    private static String normalize(String value) {
        return value == null ? "" : value.trim().replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }
}
