package dev.bakecache.engine.store;

import java.time.Instant;

/** One entry of a tier listing: what a directory or bucket scan can tell without reading content. */
public record StoredBlob(String hash, long storedSize, Instant modified) {
}
