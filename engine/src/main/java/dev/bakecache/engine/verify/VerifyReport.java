package dev.bakecache.engine.verify;

import dev.bakecache.engine.config.ByteSize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a verify run checked and found, built up batch by batch.
 *
 * @param sample           what share of blobs was rehashed, e.g. {@code all} or {@code 10.0% sample}
 * @param blobsChecked     blobs and chunks rehashed
 * @param bytesChecked     their content bytes
 * @param manifestsChecked manifests read
 * @param problems         how many findings of each kind (every kind present)
 * @param findings         the first {@value #SHOWN_FINDINGS} findings, one line each
 * @param elapsed          wall-clock time
 */
public record VerifyReport(String sample, long blobsChecked, long bytesChecked, long manifestsChecked,
                           Map<Finding.Problem, Long> problems, List<String> findings, Duration elapsed) {

    /** More findings than this are counted but not listed: the quarantine folder holds them all. */
    public static final int SHOWN_FINDINGS = 50;

    public VerifyReport {
        Map<Finding.Problem, Long> all = new EnumMap<>(Finding.Problem.class);
        for (Finding.Problem problem : Finding.Problem.values()) {
            all.put(problem, problems.getOrDefault(problem, 0L));
        }
        problems = Map.copyOf(all);
        findings = List.copyOf(findings);
    }

    public static VerifyReport start(Sample sample) {
        return new VerifyReport(sample.toString(), 0, 0, 0, Map.of(), List.of(), Duration.ZERO);
    }

    public VerifyReport plusBlobs(VerifiedBatch batch) {
        return plus(batch.checked(), batch.bytes(), 0, batch);
    }

    public VerifyReport plusManifests(VerifiedBatch batch) {
        return plus(0, 0, batch.checked(), batch);
    }

    private VerifyReport plus(long blobs, long bytes, long manifests, VerifiedBatch batch) {
        Map<Finding.Problem, Long> counts = new EnumMap<>(problems);
        List<String> lines = new ArrayList<>(findings);
        for (Finding finding : batch.findings()) {
            counts.merge(finding.problem(), 1L, Long::sum);
            if (lines.size() < SHOWN_FINDINGS) {
                lines.add(finding.toString());
            }
        }
        return new VerifyReport(sample, blobsChecked + blobs, bytesChecked + bytes, manifestsChecked + manifests,
                counts, lines, elapsed);
    }

    public VerifyReport withElapsed(Duration newElapsed) {
        return new VerifyReport(sample, blobsChecked, bytesChecked, manifestsChecked, problems, findings, newElapsed);
    }

    public long problemCount() {
        return problems.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * A summary line, then one line per listed finding, e.g. {@code verified 52 blobs and chunks
     * (4.1 MiB, all) and 3 manifests in 0.12 s: 1 corrupt blob, 1 incomplete manifest}.
     */
    public String summary() {
        String head = String.format(Locale.ROOT, "verified %d blobs and chunks (%s, %s) and %d manifest%s in %.2f s: ",
                blobsChecked, ByteSize.format(bytesChecked), sample, manifestsChecked, manifestsChecked == 1 ? "" : "s",
                elapsed.toNanos() / 1e9);
        if (problemCount() == 0) {
            return head + "no problems found";
        }
        String counts = problems.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue() + " " + e.getKey().label() + (e.getValue() == 1 ? "" : "s"))
                .collect(Collectors.joining(", "));
        String more = problemCount() > findings.size()
                ? "\n  ... and " + (problemCount() - findings.size()) + " more; see the quarantine folder" : "";
        return head + counts + findings.stream().map(line -> "\n  " + line).collect(Collectors.joining()) + more;
    }
}
