package dev.bakecache.engine.config;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as written in config files and on the command line: {@code 20GB}, {@code 512MiB},
 * {@code 1.5GB}, {@code 100 KB}, {@code 1048576}.
 *
 * <p><b>Every unit is binary.</b> {@code KB} and {@code KiB} both mean 1024 bytes, {@code MB} and
 * {@code MiB} both mean 1024², and so on up to {@code EB}/{@code EiB}. A build cache's sizes are
 * compared with file and disk sizes, which tools such as {@code du} and {@code df} report in
 * binary units; if {@code 20GB} and {@code 20GiB} meant different things, a limit written one way
 * would silently be 7% off from what the user read elsewhere. Units are case-insensitive, the
 * {@code B} may be left off ({@code 20G}), and a space may separate number and unit. A plain
 * number is bytes.
 *
 * <p>{@link #format(long)} goes the other way for summaries and messages ({@code 1.5 GiB}); it
 * always prints the binary {@code iB} spelling so that there is no doubt about what it means.
 */
public final class ByteSize {

    /** Examples shown whenever a value cannot be read. */
    public static final String EXAMPLES = "examples: 20GB, 512MiB, 1048576";

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*([a-z]*)");

    private static final Map<String, Integer> POWERS = Map.ofEntries(
            Map.entry("", 0), Map.entry("b", 0), Map.entry("byte", 0), Map.entry("bytes", 0),
            Map.entry("k", 1), Map.entry("kb", 1), Map.entry("kib", 1),
            Map.entry("m", 2), Map.entry("mb", 2), Map.entry("mib", 2),
            Map.entry("g", 3), Map.entry("gb", 3), Map.entry("gib", 3),
            Map.entry("t", 4), Map.entry("tb", 4), Map.entry("tib", 4),
            Map.entry("p", 5), Map.entry("pb", 5), Map.entry("pib", 5),
            Map.entry("e", 6), Map.entry("eb", 6), Map.entry("eib", 6));

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private ByteSize() {
    }

    /**
     * Reads a size in bytes.
     *
     * @throws IllegalArgumentException naming the text when it is not a size, is negative, is not
     *     a whole number of bytes, or does not fit in a {@code long}
     */
    public static long parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no size given (" + EXAMPLES + ")");
        }
        String trimmed = text.trim();
        if (trimmed.startsWith("-")) {
            throw new IllegalArgumentException("'" + text + "' is negative; a size must be 0 or more");
        }
        Matcher m = SIZE.matcher(trimmed.toLowerCase(Locale.ROOT));
        Integer power = m.matches() ? POWERS.get(m.group(2)) : null;
        if (power == null) {
            throw new IllegalArgumentException("'" + text + "' is not a size (" + EXAMPLES + ")");
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
        if (bytes.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too large; the largest size is "
                    + Long.MAX_VALUE + " bytes (just under 8 EiB)");
        }
        try {
            return bytes.longValueExact();
        } catch (ArithmeticException fractional) {
            throw new IllegalArgumentException("'" + text + "' is " + bytes.stripTrailingZeros().toPlainString()
                    + " bytes, not a whole number of bytes");
        }
    }

    /**
     * A short human form for summaries: {@code 512 B}, {@code 10 KiB}, {@code 1.5 GiB}. At most one
     * decimal, so it is approximate; negative values (differences) keep their sign.
     */
    public static String format(long bytes) {
        if (bytes < 0) {
            return "-" + formatMagnitude(Math.abs((double) bytes));
        }
        return formatMagnitude(bytes);
    }

    private static String formatMagnitude(double bytes) {
        int unit = 0;
        double value = bytes;
        while (unit < UNITS.length - 1 && Math.round(value * 10) / 10.0 >= 1024) {
            value /= 1024;
            unit++;
        }
        double rounded = Math.round(value * 10) / 10.0;
        String number = rounded == Math.rint(rounded)
                ? Long.toString((long) rounded)
                : String.format(Locale.ROOT, "%.1f", rounded);
        return number + " " + UNITS[unit];
    }
}
