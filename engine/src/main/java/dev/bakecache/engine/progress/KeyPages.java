package dev.bakecache.engine.progress;

import java.util.Collections;
import java.util.List;

/**
 * Pages through a sorted list of keys (manifests, say) after the last key a job saved in its step
 * state, so a killed run resumes at the next page. The cursor is found by binary search: paging
 * through n keys costs n log n, not n² / page.
 */
public final class KeyPages {

    private KeyPages() {
    }

    /** The up to {@code size} keys that follow {@code after} (all from the start when it is null). */
    public static List<String> after(List<String> sorted, String after, int size) {
        int from = 0;
        if (after != null) {
            int at = Collections.binarySearch(sorted, after);
            from = at >= 0 ? at + 1 : -at - 1;
        }
        return List.copyOf(sorted.subList(from, Math.min(sorted.size(), from + size)));
    }
}
