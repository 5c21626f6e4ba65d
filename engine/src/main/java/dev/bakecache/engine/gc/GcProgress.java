package dev.bakecache.engine.gc;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where a garbage collection run stands (phase and a cursor within it) and what it did so far, so
 * a killed run resumes there: a job keeps {@link #toToken()} in its step state. Every phase is
 * safe to run again, so a cursor only saves work, it is never needed for correctness.
 */
public record GcProgress(Phase phase, String cursor, GcReport soFar) {

    /** The phases in the order they run. */
    public enum Phase {
        /** Read every manifest (mark), then delete unreferenced index entries older than the grace. */
        SWEEP,
        /** Delete staging files ({@code *.part}) in {@code tmp/} older than the grace: leftovers of killed writes. */
        CLEAN_TMP,
        /** Index blob files that have no entry. */
        INDEX_FILES,
        /** Drop index entries whose file is gone. */
        DROP_ENTRIES,
        DONE
    }

    public static final GcProgress START = new GcProgress(Phase.SWEEP, null, GcReport.NONE);

    public GcProgress {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(soFar, "soFar");
    }

    public boolean done() {
        return phase == Phase.DONE;
    }

    GcProgress next(Phase nextPhase, GcReport more) {
        return new GcProgress(nextPhase, null, soFar.plus(more));
    }

    GcProgress within(String nextCursor, GcReport more) {
        return new GcProgress(phase, nextCursor, soFar.plus(more));
    }

    /** {@code PHASE|cursor|count|count|...}; {@link #fromToken} reads it back. */
    public String toToken() {
        GcReport r = soFar;
        long[] counts = {r.manifests(), r.unverifiedManifests(), r.unreadableManifests(), r.named(), r.scanned(),
                r.scannedBytes(), r.swept(), r.sweptBytes(), r.keptInGrace(), r.tmpFiles(), r.tmpBytes(),
                r.filesIndexed(), r.entriesDropped()};
        StringBuilder token = new StringBuilder(phase.name()).append('|').append(cursor == null ? "-" : cursor);
        Arrays.stream(counts).forEach(c -> token.append('|').append(c));
        return token.toString();
    }

    public static GcProgress fromToken(String token) {
        String[] p = token.split("\\|", -1);
        if (p.length != 15) {
            throw new IllegalArgumentException("gc progress '" + token + "' has " + p.length
                    + " parts, expected 15; was it saved by another bake-cache version?");
        }
        long[] c = Arrays.stream(p, 2, 15).mapToLong(Long::parseLong).toArray();
        return new GcProgress(Phase.valueOf(p[0]), p[1].equals("-") ? null : p[1],
                new GcReport(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12]));
    }
}
