package dev.bakecache.engine.layered;

import dev.bakecache.engine.store.BlobStore;

import java.util.Objects;

/**
 * One tier's store of one blob kind, with the tier's name ({@code local} or the remote's
 * configured name) for warnings and the order of {@link LayeredBlobStore}.
 */
public record TierStore(String name, BlobStore store) {

    public TierStore {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(store, "store");
    }

    @Override
    public String toString() {
        return name;
    }
}
