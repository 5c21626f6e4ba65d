package dev.bakecache.engine.store;

import dev.bakecache.engine.hash.Digest;

import java.io.IOException;

/** The tier has no such blob. */
public class BlobNotFoundException extends IOException {
    private final String blob;

    public BlobNotFoundException(Digest digest, String where) {
        this(digest.toString(), where);
    }

    /** @param blob the blob's digest ({@code hash/size}) or, where the size is unknown, its hash */
    public BlobNotFoundException(String blob, String where) {
        super("blob " + blob + " is not in " + where);
        this.blob = blob;
    }

    /** The missing blob's digest ({@code hash/size}), or its hash when it was asked for by hash alone. */
    public String blob() {
        return blob;
    }
}
