package dev.bakecache.engine.bench;

/**
 * Memory one scenario needed.
 *
 * @param heapPeakBytes the largest used heap seen while it ran (sampled)
 * @param rssPeakBytes  the process's peak resident set while it ran (VmHWM, reset before the
 *                      scenario where the kernel allows it), 0 where /proc is missing
 * @param rssEndBytes   the resident set when it ended (VmRSS)
 */
public record MemoryUse(long heapPeakBytes, long rssPeakBytes, long rssEndBytes) {
}
