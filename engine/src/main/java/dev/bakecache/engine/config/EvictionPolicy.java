package dev.bakecache.engine.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The order in which blobs are given up when the local tier is over its size limit. */
public enum EvictionPolicy {
    /** Least recently used first. */
    LRU("lru"),
    /** Least frequently used first (fewest recorded accesses), oldest access breaking ties. */
    LFU("lfu"),
    /** Oldest written first. */
    FIFO("fifo"),
    /** Biggest stored size first: frees the most space with the fewest deletions. */
    LARGEST_FIRST("largestFirst");

    private final String id;

    EvictionPolicy(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Accepts {@code lru}, {@code LFU}, {@code largestFirst}, {@code largest-first}, ... */
    public static EvictionPolicy fromId(String value) {
        String wanted = value == null ? "" : value.trim().replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
        for (EvictionPolicy policy : values()) {
            if (policy.id.toLowerCase(Locale.ROOT).equals(wanted)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown eviction policy '" + value + "', expected one of "
                + Arrays.stream(values()).map(EvictionPolicy::id).collect(Collectors.joining(", ")));
    }
}
