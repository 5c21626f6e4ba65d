package dev.bakecache.engine.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How the engine's SQLite files (the blob index, the metrics) recognise damage and keep a damaged
 * file for inspection: {@code <name>.corrupt-<UTC timestamp>}, with its {@code -wal} and
 * {@code -shm} files, so a fresh one can be created in its place.
 */
public final class DamagedSqliteFile {

    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;
    private static final DateTimeFormatter ASIDE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private DamagedSqliteFile() {
    }

    /** Whether SQLite reported, anywhere in the cause chain, that the file is damaged or not a database. */
    public static boolean reportedIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // sqlite-jdbc reports the primary result code; mask in case extended codes are on
            if (t instanceof SQLException sql
                    && ((sql.getErrorCode() & 0xff) == SQLITE_CORRUPT || (sql.getErrorCode() & 0xff) == SQLITE_NOTADB)) {
                return true;
            }
        }
        return false;
    }

    /** Moves the file and its sidecars aside; returns where the file went. */
    public static Path moveAside(Path path) throws IOException {
        String base = path.getFileName() + ".corrupt-" + ASIDE_STAMP.format(Instant.now());
        Path aside = path.resolveSibling(base);
        for (int n = 1; Files.exists(aside); n++) {
            aside = path.resolveSibling(base + "-" + n);
        }
        Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
        for (String suffix : SqliteFile.SIDECAR_SUFFIXES) {
            Path sidecar = path.resolveSibling(path.getFileName() + suffix);
            if (Files.exists(sidecar)) {
                Files.move(sidecar, aside.resolveSibling(aside.getFileName() + suffix), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return aside;
    }
}
