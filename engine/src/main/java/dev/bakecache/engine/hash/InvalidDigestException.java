package dev.bakecache.engine.hash;

/** A digest string or value that is not well-formed; the message says which part is wrong. */
public class InvalidDigestException extends IllegalArgumentException {
    public InvalidDigestException(String message) {
        super(message);
    }
}
