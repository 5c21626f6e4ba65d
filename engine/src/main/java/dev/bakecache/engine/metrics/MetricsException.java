package dev.bakecache.engine.metrics;

import java.nio.file.Path;

/** Reading or writing the metrics file failed; the message names the file and what was being done. */
public final class MetricsException extends RuntimeException {
    public MetricsException(Path file, String operation, Throwable cause) {
        super("metrics " + file + ": " + operation + " failed: " + cause.getMessage(), cause);
    }
}
