package dev.bakecache.engine.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written on the command line and in config: {@code 90s}, {@code 30m}, {@code 1h},
 * {@code 2d}, {@code 0} (a whole number and one unit: s, m, h or d). {@link #format} writes the
 * same form back, in the largest unit that divides the duration.
 */
public final class HumanDuration {

    /** Examples shown whenever a value cannot be read. */
    public static final String EXAMPLES = "examples: 30m, 1h, 2d, 90s";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*([smhd]?)");

    private HumanDuration() {
    }

    /** @throws IllegalArgumentException naming the text when it is not such a duration */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || (m.group(2).isEmpty() && Long.parseLong(m.group(1)) != 0)) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (" + EXAMPLES + ")");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "d" -> Duration.ofDays(amount);
            case "h" -> Duration.ofHours(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    /** {@code 1h}, {@code 90m}, {@code 2d}, {@code 45s}; sub-second parts are dropped. */
    public static String format(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds != 0 && seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds != 0 && seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
