package dev.bakecache.engine.remote;

import java.time.Instant;

/** An object as a bucket lists or heads it, without its bytes. */
public record BucketObject(String key, long size, Instant lastModified) {
}
