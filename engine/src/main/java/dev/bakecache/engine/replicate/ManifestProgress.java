package dev.bakecache.engine.replicate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where copying a replicate run's manifests stands (the last action key of the last full page)
 * and what it did so far, so a killed run resumes at its page: a job keeps {@link #toToken()} in
 * its step state, as gc keeps its {@link dev.bakecache.engine.gc.GcProgress}. Copying a page again
 * is safe, so the cursor only saves work.
 *
 * @param lastKey the last key copied, or null before the first page
 */
public record ManifestProgress(String lastKey, boolean done, ManifestCopy soFar) {

    public static final ManifestProgress START = new ManifestProgress(null, false, ManifestCopy.NONE);

    /** After one more page: done once a page comes back short. */
    ManifestProgress after(List<String> page, int pageSize, ManifestCopy more) {
        boolean full = page.size() == pageSize;
        return new ManifestProgress(full ? page.getLast() : lastKey, !full, soFar.plus(more));
    }

    /**
     * One line each: done or more, the last key (empty for none), copied, unchanged, how many
     * waiting, the waiting keys, then the rejections. {@link #fromToken} reads it back.
     */
    public String toToken() {
        List<String> lines = new ArrayList<>(List.of(done ? "done" : "more", lastKey == null ? "" : lastKey,
                Long.toString(soFar.copied()), Long.toString(soFar.unchanged()),
                Integer.toString(soFar.waiting().size())));
        lines.addAll(soFar.waiting());
        soFar.rejected().forEach(problem -> lines.add(problem.replace('\n', ' ')));
        return String.join("\n", lines);
    }

    public static ManifestProgress fromToken(String token) {
        List<String> lines = Arrays.asList(token.split("\n", -1));
        if (lines.size() < 5 || !List.of("done", "more").contains(lines.get(0))) {
            throw new IllegalArgumentException("replicate progress '" + lines.getFirst() + "...' is not one this"
                    + " version of bake-cache saves; was it saved by another version?");
        }
        int waiting = Integer.parseInt(lines.get(4));
        ManifestCopy soFar = new ManifestCopy(Long.parseLong(lines.get(2)), Long.parseLong(lines.get(3)),
                lines.subList(5, 5 + waiting), lines.subList(5 + waiting, lines.size()));
        return new ManifestProgress(lines.get(1).isEmpty() ? null : lines.get(1), lines.get(0).equals("done"), soFar);
    }
}
