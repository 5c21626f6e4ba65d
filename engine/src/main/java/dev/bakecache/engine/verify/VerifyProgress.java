package dev.bakecache.engine.verify;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where a verify run stands (phase and a cursor within it), what it found so far, and the
 * findings of its last step whose files are still to be moved to quarantine, so a killed run
 * resumes at the unit it was in and no finding is lost with its file moved: a job keeps
 * {@link #toToken()} in its step state.
 *
 * @param cursor in {@link Phase#SHARDS} the shards done (of both kinds), in {@link Phase#MANIFESTS}
 *               the last manifest key checked; null at the start of a phase
 */
public record VerifyProgress(Phase phase, String cursor, VerifyReport soFar, List<PendingQuarantine> toQuarantine) {

    /** The phases in the order they run. */
    public enum Phase {
        /** Rehash blobs, then chunks, shard by shard. */
        SHARDS,
        /** Read manifests, page by page. */
        MANIFESTS,
        DONE
    }

    private static final int HEADER_PARTS = 6 + Finding.Problem.values().length;

    public VerifyProgress {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(soFar, "soFar");
        toQuarantine = List.copyOf(toQuarantine);
    }

    public static VerifyProgress start(Sample sample) {
        return new VerifyProgress(Phase.SHARDS, null, VerifyReport.start(sample), List.of());
    }

    /** Every phase run, and every finding's file moved. */
    public boolean done() {
        return phase == Phase.DONE && toQuarantine.isEmpty();
    }

    VerifyProgress next(Phase nextPhase, VerifyReport report, VerifiedBatch batch) {
        return new VerifyProgress(nextPhase, null, report, pending(batch));
    }

    VerifyProgress within(String nextCursor, VerifyReport report, VerifiedBatch batch) {
        return new VerifyProgress(phase, nextCursor, report, pending(batch));
    }

    VerifyProgress quarantined() {
        return new VerifyProgress(phase, cursor, soFar, List.of());
    }

    private static List<PendingQuarantine> pending(VerifiedBatch batch) {
        return batch.findings().stream().map(PendingQuarantine::of).toList();
    }

    /**
     * Lines: {@code PHASE|cursor|blobs|bytes|manifests|count per problem...|sample}, then the
     * findings to quarantine ({@code PROBLEM:subject}, space-separated), then one line per finding
     * listed in the report (a finding is one line). {@link #fromToken} reads it back.
     */
    public String toToken() {
        VerifyReport r = soFar;
        StringBuilder token = new StringBuilder(phase.name()).append('|').append(cursor == null ? "" : cursor)
                .append('|').append(r.blobsChecked()).append('|').append(r.bytesChecked())
                .append('|').append(r.manifestsChecked());
        Arrays.stream(Finding.Problem.values()).forEach(p -> token.append('|').append(r.problems().get(p)));
        token.append('|').append(r.sample()).append('\n');
        token.append(toQuarantine.stream().map(PendingQuarantine::toString).collect(Collectors.joining(" ")));
        r.findings().forEach(line -> token.append('\n').append(line));
        return token.toString();
    }

    public static VerifyProgress fromToken(String token) {
        String[] lines = token.split("\n", -1);
        String[] p = lines[0].split("\\|", -1);
        if (lines.length < 2 || p.length != HEADER_PARTS) {
            throw new IllegalArgumentException("verify progress '" + lines[0] + "' has " + p.length
                    + " parts, expected " + HEADER_PARTS + "; was it saved by another bake-cache version?");
        }
        Map<Finding.Problem, Long> problems = new EnumMap<>(Finding.Problem.class);
        for (Finding.Problem problem : Finding.Problem.values()) {
            problems.put(problem, Long.parseLong(p[5 + problem.ordinal()]));
        }
        VerifyReport report = new VerifyReport(p[HEADER_PARTS - 1], Long.parseLong(p[2]), Long.parseLong(p[3]),
                Long.parseLong(p[4]), problems, List.of(lines).subList(2, lines.length), Duration.ZERO);
        List<PendingQuarantine> pending = lines[1].isEmpty() ? List.of()
                : Arrays.stream(lines[1].split(" ")).map(PendingQuarantine::parse).toList();
        return new VerifyProgress(Phase.valueOf(p[0]), p[1].isEmpty() ? null : p[1], report, pending);
    }
}
