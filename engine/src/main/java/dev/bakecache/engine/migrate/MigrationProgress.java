package dev.bakecache.engine.migrate;

import dev.bakecache.engine.progress.ProgressToken;

/**
 * Where the migration of a legacy cache folder stands (the last archive done, in name order) and
 * what it did so far, so a killed run resumes with the next archive: a job keeps
 * {@link #toToken()} in its step state. An archive interrupted half-way is simply migrated again,
 * its stored blobs costing no second write.
 *
 * @param lastArchive the file name of the last archive done, or null before the first
 * @param done        whether no archive is left
 */
public record MigrationProgress(String lastArchive, boolean done, MigrationReport soFar) {

    public static final MigrationProgress START = new MigrationProgress(null, false, MigrationReport.NONE);

    private static final int COUNTS = 9;

    MigrationProgress after(String archive, MigrationOutcome outcome, boolean noneLeft) {
        return new MigrationProgress(archive, noneLeft, soFar.plus(outcome));
    }

    /**
     * {@code done|migrated|skipped|rejected|deleted|files|bytes|newBytes|N|} followed by the N
     * characters of the rejections and then the last archive's name: both may hold any character.
     */
    public String toToken() {
        MigrationReport r = soFar;
        return ProgressToken.of(new long[] {done ? 1 : 0, r.migrated(), r.skipped(), r.rejected(), r.deleted(),
                r.files(), r.bytes(), r.newBytes(), r.rejections().length()},
                r.rejections() + (lastArchive == null ? "" : lastArchive));
    }

    public static MigrationProgress fromToken(String token) {
        long[] c = ProgressToken.counts(token, COUNTS, "migration");
        String tail = ProgressToken.tail(token, COUNTS, "migration");
        int rejections = (int) c[8];
        String lastArchive = tail.substring(rejections);
        return new MigrationProgress(lastArchive.isEmpty() ? null : lastArchive, c[0] == 1,
                new MigrationReport(c[1], c[2], c[3], c[4], c[5], c[6], c[7], tail.substring(0, rejections)));
    }
}
