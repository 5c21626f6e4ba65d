package dev.bakecache.engine.ingest;

import dev.bakecache.engine.progress.ProgressToken;

import java.time.Duration;

/**
 * Where an ingest of one or more output directories stands (targets done, the last file stored
 * in the current one) and what it did so far, so a killed run resumes after the last finished
 * batch: a job keeps {@link #toToken()} in its step state. The files before {@code lastPath} are
 * recognised again by their stat data and cost no reading.
 *
 * @param targetsDone output directories whose manifest is written
 * @param lastPath    the last file stored of the current directory, or null when none is yet
 * @param files       files of the finished directories
 * @param bytes       their bytes
 * @param hashedFiles files whose content was read
 * @param newBlobs    blobs and chunks stored that the cache did not hold
 * @param newBytes    their bytes
 * @param batched     files stored by batches (a resumed run does not count again what the killed run stored)
 */
public record IngestProgress(int targetsDone, String lastPath, long files, long bytes, long hashedFiles,
                             long newBlobs, long newBytes, long batched) {

    public static final IngestProgress START = new IngestProgress(0, null, 0, 0, 0, 0, 0, 0);

    private static final int COUNTS = 7;

    /** The whole ingest so far, as its summary reports it. */
    public IngestReport report(String label, Duration elapsed) {
        return new IngestReport(label, files, bytes, hashedFiles, newBlobs, newBytes, elapsed);
    }

    /**
     * After a batch of {@code count} files up to {@code path} of the current directory; the
     * session's counts are added to {@code base}, where the session began.
     */
    IngestProgress afterBatch(String path, int count, IngestProgress base, Ingester.Session session) {
        return new IngestProgress(targetsDone, path, files, bytes, base.hashedFiles + session.hashedFiles(),
                base.newBlobs + session.newBlobs(), base.newBytes + session.newBytes(), batched + count);
    }

    /** After the manifest of the current directory is written. */
    IngestProgress afterTarget(IngestReport target, IngestProgress base, Ingester.Session session) {
        IngestProgress counted = afterBatch(null, 0, base, session);
        return new IngestProgress(targetsDone + 1, null, files + target.files(), bytes + target.bytes(),
                counted.hashedFiles, counted.newBlobs, counted.newBytes, batched);
    }

    /** {@code targetsDone|files|bytes|hashedFiles|newBlobs|newBytes|batched|lastPath}: the path last, as it may hold any character. */
    public String toToken() {
        return ProgressToken.of(new long[] {targetsDone, files, bytes, hashedFiles, newBlobs, newBytes, batched},
                lastPath == null ? "" : lastPath);
    }

    public static IngestProgress fromToken(String token) {
        long[] c = ProgressToken.counts(token, COUNTS, "ingest");
        String lastPath = ProgressToken.tail(token, COUNTS, "ingest");
        return new IngestProgress((int) c[0], lastPath.isEmpty() ? null : lastPath, c[1], c[2], c[3], c[4], c[5], c[6]);
    }
}
