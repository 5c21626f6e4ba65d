package dev.bakecache.engine.manifest;

import java.time.Duration;
import java.time.Instant;

/** Where and when the outputs were produced (or ingested), for people reading a manifest. */
public record ExecutionMetadata(String host, Instant startedAt, Instant completedAt) {

    public Duration duration() {
        return startedAt == null || completedAt == null ? Duration.ZERO : Duration.between(startedAt, completedAt);
    }
}
