package dev.bakecache.engine.manifest;

/** A manifest that must not be used: malformed, unsafe, unsigned or wrongly signed. */
public class InvalidManifestException extends RuntimeException {
    public InvalidManifestException(String message) {
        super(message);
    }

    public InvalidManifestException(String message, Throwable cause) {
        super(message, cause);
    }

    static void check(String problem) {
        if (problem != null) {
            throw new InvalidManifestException(problem);
        }
    }
}
