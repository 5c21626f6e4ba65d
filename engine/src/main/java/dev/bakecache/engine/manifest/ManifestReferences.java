package dev.bakecache.engine.manifest;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.store.BlobKind;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which manifests name which blobs and chunks, read from every manifest of an
 * {@link ActionCache} once: eviction asks which manifests must go before a blob may, garbage
 * collection asks whether anything names a blob at all. Manifests are small, so the whole map
 * is kept in memory.
 *
 * <p>A manifest that fails its signature check still counts: it may have been signed with a
 * secret since rotated, and removing its blobs would destroy what verify is there to judge.
 * Only a file that cannot be parsed at all names nothing; such files are listed in
 * {@link #unreadable()} for the caller to report.
 */
public final class ManifestReferences {

    /** A blob or chunk by kind and hash. */
    public record BlobRef(BlobKind kind, String hash) {
    }

    private final Map<String, Set<BlobRef>> byKey = new HashMap<>();
    private final Map<BlobRef, Set<String>> byBlob = new HashMap<>();
    private final List<String> unverified = new ArrayList<>();
    private final List<String> unreadable = new ArrayList<>();

    private ManifestReferences() {
    }

    /** Reads every manifest in {@code actions} as it is now. */
    public static ManifestReferences read(ActionCache actions) throws IOException {
        ManifestReferences references = new ManifestReferences();
        List<String> keys;
        try (Stream<String> listing = actions.keys()) {
            keys = listing.toList();
        }
        for (String key : keys) {
            references.add(key, actions);
        }
        return references;
    }

    private void add(String key, ActionCache actions) throws IOException {
        ActionResult manifest;
        try {
            var verified = actions.get(key);
            if (verified.isEmpty()) {
                return; // deleted since the listing
            }
            manifest = verified.get();
        } catch (InvalidManifestException notVerified) {
            try {
                Optional<byte[]> stored = actions.getBytes(key);
                if (stored.isEmpty()) {
                    return; // deleted meanwhile
                }
                manifest = ManifestJson.parse(stored.get(), actions.pathOf(key).toString());
                unverified.add(key);
            } catch (InvalidManifestException malformed) {
                unreadable.add(key);
                return;
            }
        }
        Set<BlobRef> refs = new HashSet<>();
        manifest.referencedBlobs().forEach(d -> refs.add(new BlobRef(BlobKind.BLOB, d.hash())));
        manifest.referencedChunks().forEach(d -> refs.add(new BlobRef(BlobKind.CHUNK, d.hash())));
        byKey.put(key, refs);
        refs.forEach(ref -> byBlob.computeIfAbsent(ref, r -> new HashSet<>()).add(key));
    }

    /** The manifests (action keys) that name the blob or chunk; empty when none does. */
    public Set<String> keysNaming(BlobKind kind, String hash) {
        return Set.copyOf(byBlob.getOrDefault(new BlobRef(kind, hash), Set.of()));
    }

    public boolean isReferenced(BlobKind kind, String hash) {
        return byBlob.containsKey(new BlobRef(kind, hash));
    }

    public boolean isReferenced(BlobKind kind, Digest digest) {
        return isReferenced(kind, digest.hash());
    }

    /**
     * Forgets the manifest of {@code key}, e.g. after deleting it.
     *
     * @return the blobs and chunks it named that no remaining manifest names
     */
    public Set<BlobRef> forget(String key) {
        Set<BlobRef> orphans = new HashSet<>();
        for (BlobRef ref : byKey.getOrDefault(key, Set.of())) {
            Set<String> keys = byBlob.get(ref);
            keys.remove(key);
            if (keys.isEmpty()) {
                byBlob.remove(ref);
                orphans.add(ref);
            }
        }
        byKey.remove(key);
        return orphans;
    }

    /** Distinct blobs and chunks named by the remaining manifests. */
    public int named() {
        return byBlob.size();
    }

    /** Manifests read, readable or not. */
    public int manifests() {
        return byKey.size() + unreadable.size();
    }

    /** Keys whose manifest parses but fails verification (unsigned, tampered, other secret, wrong key). */
    public List<String> unverified() {
        return List.copyOf(unverified);
    }

    /** Keys whose manifest file cannot be parsed: they name nothing that could be protected. */
    public List<String> unreadable() {
        return List.copyOf(unreadable);
    }
}
