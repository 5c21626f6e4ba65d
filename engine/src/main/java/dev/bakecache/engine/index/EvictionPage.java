package dev.bakecache.engine.index;

import java.util.List;
import java.util.Objects;

/**
 * One page of eviction candidates, best candidate first. {@code next} is where the following page
 * starts, or null when this page was not full and so nothing follows.
 */
public record EvictionPage(List<IndexEntry> entries, EvictionCursor next) {

    public EvictionPage {
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
    }

    public boolean hasMore() {
        return next != null;
    }
}
