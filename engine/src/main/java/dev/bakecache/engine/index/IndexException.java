package dev.bakecache.engine.index;

import dev.bakecache.engine.sqlite.DamagedSqliteFile;
import java.nio.file.Path;

/**
 * A blob index operation failed. The message names the index file and the operation, so a log
 * line alone tells which cache is affected and what was being done.
 *
 * <p>{@link #corrupt()} is true when SQLite reported the file as damaged ({@code SQLITE_CORRUPT},
 * {@code SQLITE_NOTADB}) or an integrity check failed: such an index cannot be repaired in place,
 * but it can be rebuilt from the blob files with {@link BlobIndex#openOrRecreate}.
 */
public final class IndexException extends RuntimeException {


    private final Path file;
    private final String operation;
    private final boolean corrupt;

    public IndexException(Path file, String operation, Throwable cause) {
        this(file, operation, describe(cause), cause, isCorruption(cause));
    }

    IndexException(Path file, String operation, String detail, Throwable cause, boolean corrupt) {
        super("blob index " + file + ": " + operation + " failed: " + detail, cause);
        this.file = file;
        this.operation = operation;
        this.corrupt = corrupt;
    }

    /** The index file the failed operation was working on. */
    public Path file() {
        return file;
    }

    /** What was being done, e.g. {@code "upsert 3 entries"}. */
    public String operation() {
        return operation;
    }

    /** True when the file itself is damaged; rebuilding it from the blob files is the remedy. */
    public boolean corrupt() {
        return corrupt;
    }

    static boolean isCorruption(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof IndexException index && index.corrupt) {
                return true;
            }
        }
        return DamagedSqliteFile.reportedIn(cause);
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
