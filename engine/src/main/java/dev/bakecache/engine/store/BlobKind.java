package dev.bakecache.engine.store;

/** Whole-file blobs and the chunks of large files live in separate directories of the local tier. */
public enum BlobKind {
    BLOB,
    CHUNK
}
