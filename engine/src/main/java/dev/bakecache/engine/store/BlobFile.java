package dev.bakecache.engine.store;

import dev.bakecache.engine.compress.BlobFormat;

import java.time.Instant;

/** What a local blob file holds, learnt by reading it: content size and the stored form. */
public record BlobFile(String hash, long size, long storedSize, BlobFormat format, Instant modified) {
}
