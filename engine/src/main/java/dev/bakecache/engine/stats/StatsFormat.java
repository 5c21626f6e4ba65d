package dev.bakecache.engine.stats;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How {@code stats} prints its report: for people, for scripts, or for Prometheus. */
public enum StatsFormat {
    TEXT,
    JSON,
    PROMETHEUS;

    public String render(StatsReport report) {
        return switch (this) {
            case TEXT -> StatsText.render(report);
            case JSON -> StatsJson.render(report);
            case PROMETHEUS -> PrometheusExposition.render(report);
        };
    }

    /** The lower-case name used on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StatsFormat fromId(String value) {
        for (StatsFormat format : values()) {
            if (format.id().equalsIgnoreCase(value)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown stats format '" + value + "', expected one of "
                + Arrays.stream(values()).map(StatsFormat::id).collect(Collectors.joining(", ")));
    }
}
