package dev.bakecache.engine.store;

import java.io.IOException;

/** A stored blob's bytes no longer decode or hash to its name; it must be quarantined, never restored. */
public class BlobCorruptedException extends IOException {
    public BlobCorruptedException(String where, Throwable cause) {
        super("corrupt blob " + where + ": " + cause.getMessage(), cause);
    }
}
