package dev.bakecache.engine.layered;

import java.util.List;
import java.util.Optional;

/**
 * The tiers of one blob kind in the roles the config gives them (docs/adr/0012), worked out once
 * by {@link TierStack} and shared by its decorators, with the run's {@link TierWarnings} that say
 * which remotes are still available.
 *
 * @param local the local tier, or null when the strategy does not use it
 * @param readOrder the tiers in the order reads ask them
 * @param inUse every tier the strategy uses, primary first
 * @param writeTargets the tiers written to, primary first: only the local tier with writeLocal
 * @param description {@code tiers [local, teamS3] (localFirst, writeThrough)}, for messages
 */
record TierRoles(TierStore local, List<TierStore> readOrder, List<TierStore> inUse, List<TierStore> writeTargets,
                 TierWarnings warnings, String description) {

    /** The tiers not found unavailable so far, in their order. */
    List<TierStore> available(List<TierStore> tiers) {
        return tiers.stream().filter(tier -> !warnings.isUnavailable(tier.name())).toList();
    }

    /** The first available tier written to: the local tier when the strategy uses it, else the first remote. */
    Optional<TierStore> primaryWriteTarget() {
        return available(writeTargets).stream().findFirst();
    }

    @Override
    public String toString() {
        return description;
    }

    /** The remotes in read order. */
    List<TierStore> remotes() {
        return readOrder.stream().filter(tier -> tier != local).toList();
    }
}
