package dev.bakecache.engine.layered;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.store.BlobCopier;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a blob read from a later tier is copied (docs/adr/0012): to the tiers this store writes to
 * that were asked before it and missed, and to the local tier if it lacks the blob, when it
 * writes there. So under remoteFirst a remote hit fills the local tier too, ready for when the
 * remote is away. The copy is of checked, staged bytes, through the {@link BlobCopier}.
 */
record Promotion(TierRoles tiers) {

    /** @param position the place of {@code source}, where the blob was found, in the read order */
    void promote(StagedBlob staged, TierStore source, int position) throws IOException {
        Digest digest = staged.digest();
        for (TierStore target : targets(source, position, digest)) {
            BlobCopier.copy(() -> Files.newInputStream(staged.file()), target.store(), digest.hash());
        }
    }

    private List<TierStore> targets(TierStore source, int position, Digest digest) throws IOException {
        List<TierStore> targets = new ArrayList<>(tiers.readOrder().subList(0, position));
        TierStore local = tiers.local();
        if (local != null && source != local && !targets.contains(local) && !local.store().contains(digest)) {
            targets.add(local);
        }
        targets.retainAll(tiers.writeTargets());
        return targets;
    }
}
