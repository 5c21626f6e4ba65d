package dev.bakecache.engine.store;

import java.io.IOException;

/**
 * Thrown instead of a read or copy by a store that stands for a remote found unreachable during
 * this run (docs/adr/0012): the remote was reported once and is skipped from then on, so a caller
 * that can do without it treats this as "not there" and carries on with the other tiers.
 */
public class TierUnavailableException extends IOException {

    public TierUnavailableException(String tier, Throwable cause) {
        super("remote " + tier + " is unavailable for the rest of this run", cause);
    }
}
