package dev.bakecache.engine.metrics;

/**
 * Told about work as it is done, so a CLI can draw a progress line and a job can log. Called
 * from worker threads: implementations must be thread-safe and cheap.
 */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (files, bytes) -> { };

    /** {@code files} more files and {@code bytes} more bytes are done. */
    void advanced(long files, long bytes);

    /** The total amount of work, once known; may be called again if it changes. */
    default void planned(long files, long bytes) {
    }
}
