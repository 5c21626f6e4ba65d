package dev.bakecache.engine.migrate;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.metrics.ProgressListener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Migrates the archives of a legacy cache folder, one archive per {@link #migrateSome} call, in
 * name order, so a job can keep the returned {@link MigrationProgress} and resume a killed run
 * with the next archive. A rejected archive does not stop the others: it is counted and
 * described in the report.
 *
 * <p>Not thread-safe: one instance per run.
 */
public final class LegacyCacheMigration {

    private final Path legacyDir;
    private final boolean deleteAfterVerify;
    private final LegacyArchiveMigrator migrator;
    private final ProgressListener progress;
    private List<Path> pending;

    /**
     * @param deleteAfterVerify delete each archive once its manifest restored to the same bytes
     * @param progress          told about each archive done
     */
    public LegacyCacheMigration(Path legacyDir, boolean deleteAfterVerify, LocalCache cache,
                                ProgressListener progress) {
        this.legacyDir = Objects.requireNonNull(legacyDir, "legacyDir");
        this.deleteAfterVerify = deleteAfterVerify;
        this.migrator = new LegacyArchiveMigrator(cache);
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Migrates the next archive after {@code at}, if any is left. */
    public MigrationProgress migrateSome(MigrationProgress at) throws IOException {
        if (pending == null) {
            pending = archivesAfter(at.lastArchive());
            long bytes = 0;
            for (Path archive : pending) {
                bytes += Files.size(archive);
            }
            progress.planned(pending.size(), bytes);
        }
        if (pending.isEmpty()) {
            return new MigrationProgress(at.lastArchive(), true, at.soFar());
        }
        Path archive = pending.removeFirst();
        long archiveBytes = Files.size(archive);
        MigrationOutcome outcome = migrator.migrate(archive, deleteAfterVerify);
        MigrationProgress next = at.after(archive.getFileName().toString(), outcome, pending.isEmpty());
        progress.advanced(1, archiveBytes);
        return next;
    }

    /** The summary of a migration that got as far as {@code at}. */
    public String summary(MigrationProgress at, Duration elapsed) {
        return at.soFar().summary(legacyDir, deleteAfterVerify, elapsed);
    }

    private List<Path> archivesAfter(String lastDone) throws IOException {
        List<Path> archives = new ArrayList<>();
        for (Path archive : LegacyArchiveMigrator.archivesIn(legacyDir)) {
            if (lastDone == null || archive.getFileName().toString().compareTo(lastDone) > 0) {
                archives.add(archive);
            }
        }
        return archives;
    }
}
