package dev.bakecache.engine.ingest;

/** Outputs that cannot be ingested as they are; the message names the path and the reason. */
public class IngestException extends RuntimeException {
    public IngestException(String message) {
        super(message);
    }
}
