package dev.bakecache.engine.hash;

import java.io.IOException;

/** Bytes that were supposed to hash to one digest hashed to another. */
public class DigestMismatchException extends IOException {
    private final Digest expected;
    private final Digest actual;

    /** @param what names the bytes, e.g. "content offered for blob X" or a file path */
    public DigestMismatchException(String what, Digest expected, Digest actual) {
        super(what + " does not match its digest: expected " + expected + ", got " + actual);
        this.expected = expected;
        this.actual = actual;
    }

    public Digest expected() {
        return expected;
    }

    public Digest actual() {
        return actual;
    }
}
