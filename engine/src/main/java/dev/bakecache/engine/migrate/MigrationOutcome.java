package dev.bakecache.engine.migrate;

import dev.bakecache.engine.config.ByteSize;

import java.util.Locale;

/**
 * What became of one legacy archive.
 *
 * @param archive  the archive's file name
 * @param key      the action key it was migrated under (its name without {@code .tar.zst})
 * @param detail   for a rejected archive the reason, for a skipped one why; empty otherwise
 * @param files    regular files in the archive (migrated archives only)
 * @param bytes    their total size
 * @param newBytes bytes of blobs and chunks this archive added to the cache; the rest were there
 * @param deleted  whether the archive was deleted after its manifest restored to the same bytes
 */
public record MigrationOutcome(String archive, String key, Status status, String detail, long files, long bytes,
                               long newBytes, boolean deleted) {

    public enum Status { MIGRATED, SKIPPED, REJECTED }

    static MigrationOutcome rejected(String archive, String key, String reason) {
        return new MigrationOutcome(archive, key, Status.REJECTED, reason, 0, 0, 0, false);
    }

    static MigrationOutcome skipped(String archive, String key, String why) {
        return new MigrationOutcome(archive, key, Status.SKIPPED, why, 0, 0, 0, false);
    }

    /** e.g. {@code rejected evil.tar.zst: entry '/etc/passwd' ...}, for the end report. */
    public String describe() {
        String what = status.name().toLowerCase(Locale.ROOT) + " " + archive;
        return switch (status) {
            case MIGRATED -> what + " as " + key + ": " + files + " files, " + ByteSize.format(bytes) + ", "
                    + ByteSize.format(newBytes) + " new" + (deleted ? ", archive deleted" : "");
            case SKIPPED, REJECTED -> what + ": " + detail;
        };
    }
}
