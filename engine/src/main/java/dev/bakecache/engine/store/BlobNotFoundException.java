package dev.bakecache.engine.store;

import dev.bakecache.engine.hash.Digest;

import java.io.IOException;

/** The tier has no blob with this digest. */
public class BlobNotFoundException extends IOException {
    private final Digest digest;

    public BlobNotFoundException(Digest digest, String where) {
        super("blob " + digest + " is not in " + where);
        this.digest = digest;
    }

    public Digest digest() {
        return digest;
    }
}
