package dev.bakecache.engine.layered;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What went wrong with tiers during one run, kept as warnings rather than failures: a cache
 * that cannot reach a remote is slower, not broken (docs/adr/0012). A remote that fails once is
 * skipped for the rest of the run, so a dead endpoint costs one round of the client's retries
 * instead of one per blob, and is reported once, to the log and in {@link #messages()} for the
 * job summary. Share one instance between the blob and chunk
 * stores of a run. Thread-safe.
 */
public final class TierWarnings {

    private static final System.Logger LOG = System.getLogger(TierWarnings.class.getName());

    private final Set<String> unavailable = ConcurrentHashMap.newKeySet();
    private final List<String> messages = new ArrayList<>();

    public boolean isUnavailable(String tier) {
        return unavailable.contains(tier);
    }

    /** Marks the tier unavailable for the rest of the run; only its first failure is reported. */
    public void unavailable(String tier, Exception cause) {
        if (unavailable.add(tier)) {
            warn("remote " + tier + " is unavailable, carrying on without it for this run: " + cause.getMessage());
        }
    }

    /** A copy of a blob that failed its check: skipped, and the next tier asked instead. */
    public void corrupt(String tier, String hash, Exception cause) {
        warn("skipped a corrupt copy of " + hash + " in " + tier + ": " + cause.getMessage());
    }

    /** A tier's manifest that failed its check: skipped, like a corrupt blob. */
    public void untrusted(String tier, String actionKey, Exception cause) {
        warn("skipped the manifest of '" + actionKey + "' in " + tier + ": " + cause.getMessage());
    }

    /** Every warning so far, in order. */
    public synchronized List<String> messages() {
        return List.copyOf(messages);
    }

    private void warn(String message) {
        synchronized (this) {
            messages.add(message);
        }
        LOG.log(System.Logger.Level.WARNING, message);
    }
}
