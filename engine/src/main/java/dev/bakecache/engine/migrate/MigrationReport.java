package dev.bakecache.engine.migrate;

import dev.bakecache.engine.config.ByteSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * What the migration of a legacy cache folder did so far; outcomes add up with {@link #plus}, so a
 * resumed run reports the whole of it.
 *
 * @param migrated   archives migrated
 * @param skipped    archives skipped (migrated before from the very same archive)
 * @param rejected   archives rejected
 * @param deleted    archives deleted after their manifest restored to the same bytes
 * @param files      files of the migrated archives
 * @param bytes      their bytes
 * @param newBytes   bytes of blobs and chunks the archives added to the cache
 * @param rejections one line per rejected archive with its reason, each after a line break
 */
public record MigrationReport(long migrated, long skipped, long rejected, long deleted, long files, long bytes,
                              long newBytes, String rejections) {

    public static final MigrationReport NONE = new MigrationReport(0, 0, 0, 0, 0, 0, 0, "");

    public MigrationReport plus(MigrationOutcome outcome) {
        MigrationOutcome.Status status = outcome.status();
        boolean isRejected = status == MigrationOutcome.Status.REJECTED;
        return new MigrationReport(migrated + (status == MigrationOutcome.Status.MIGRATED ? 1 : 0),
                skipped + (status == MigrationOutcome.Status.SKIPPED ? 1 : 0), rejected + (isRejected ? 1 : 0),
                deleted + (outcome.deleted() ? 1 : 0), files + outcome.files(), bytes + outcome.bytes(),
                newBytes + outcome.newBytes(), isRejected ? rejections + "\n" + outcome.describe() : rejections);
    }

    /**
     * e.g. {@code migrated 48 of 50 archives from /legacy (1 skipped, 1 rejected): 5000 files,
     * 12 MiB, 3 MiB new, in 1.234 s}, followed by one line per rejected archive with its reason.
     */
    public String summary(Path legacyDir, boolean deleteAfterVerify, Duration elapsed) {
        return String.format(Locale.ROOT, "migrated %d of %d archives from %s (%d skipped, %d rejected%s): %d files,"
                        + " %s, %s new, in %.3f s",
                migrated, migrated + skipped + rejected, legacyDir, skipped, rejected,
                deleteAfterVerify ? ", " + deleted + " deleted after verification" : "",
                files, ByteSize.format(bytes), ByteSize.format(newBytes), elapsed.toNanos() / 1e9)
                + rejections;
    }
}
