package dev.bakecache.engine.layered;

import dev.bakecache.engine.store.TierBlobStore;

import java.util.Objects;

/**
 * One tier's store of one blob kind, with the tier's name ({@code local} or the remote's
 * configured name) for warnings and the order of a {@link TierStack}.
 */
public record TierStore(String name, TierBlobStore store) {

    public TierStore {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(store, "store");
    }

    @Override
    public String toString() {
        return name;
    }
}
