package dev.bakecache.engine.ingest;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.store.ClaimableBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class BlobClaimTest {

    @TempDir
    Path tmp;

    /** A clock the test moves. */
    private static final class Hands extends Clock {
        Instant now = Instant.parse("2026-11-25T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private LocalCache openCache() throws IOException {
        return LocalCache.open(CacheFixtures.config(tmp.resolve("cache")), CacheFixtures.ENV);
    }

    /** The manifest of a tree of {@code files} files, ingested under key "k". */
    private ActionResult ingested(LocalCache cache, int files, boolean chunked) throws IOException {
        CacheFixtures.ingest(cache, "k", CacheFixtures.tree(tmp.resolve("t"), files, chunked));
        return cache.actions().get("k").orElseThrow();
    }

    private static Instant claimed(LocalCache cache, Digest blob) {
        return cache.index().find(BlobKind.BLOB, blob.hash()).orElseThrow().claimed();
    }

    @Test
    void usesRecordedAheadAreNotRecordedAgainWhileFreshButAreOnceStale() throws Exception {
        try (LocalCache cache = openCache()) {
            ActionResult manifest = ingested(cache, 1, false);
            Digest blob = manifest.referencedBlobs().iterator().next();
            Hands hands = new Hands();

            BlobClaim fresh = new BlobClaim(cache.blobs(), cache.chunks(), hands);
            fresh.claimAhead(manifest.referencedBlobs(), manifest.referencedChunks(), null);
            Instant ahead = claimed(cache, blob);
            Thread.sleep(5);
            hands.now = hands.now.plus(BlobClaim.STILL_FRESH.minusSeconds(1));
            assertThat(fresh.missing(manifest).isEmpty()).isTrue();
            assertThat(claimed(cache, blob)).as("not recorded again").isEqualTo(ahead);

            BlobClaim stale = new BlobClaim(cache.blobs(), cache.chunks(), hands);
            stale.claimAhead(manifest.referencedBlobs(), manifest.referencedChunks(), null);
            Thread.sleep(5);
            hands.now = hands.now.plus(BlobClaim.STILL_FRESH.plus(Duration.ofSeconds(1)));
            assertThat(stale.missing(manifest).isEmpty()).isTrue();
            assertThat(claimed(cache, blob)).as("recorded again right before the check").isAfter(ahead);
        }
    }

    @Test
    void missingNamesWhatIsNotStored() throws IOException {
        try (LocalCache cache = openCache()) {
            ActionResult manifest = ingested(cache, 1, true);
            Digest blob = manifest.referencedBlobs().iterator().next();
            Digest chunk = manifest.referencedChunks().iterator().next();
            cache.blobs().delete(blob);
            cache.chunks().delete(chunk);

            BlobClaim.Missing missing = new BlobClaim(cache.blobs(), cache.chunks()).missing(manifest);

            assertThat(missing.blobs()).containsExactly(blob);
            assertThat(missing.chunks()).containsExactly(chunk);
        }
    }

    /** {@code store}, counting the digests whose existence it is asked about. */
    private static ClaimableBlobStore lookupsCounted(ClaimableBlobStore store, AtomicInteger lookups) {
        return (ClaimableBlobStore) Proxy.newProxyInstance(ClaimableBlobStore.class.getClassLoader(),
                new Class<?>[] {ClaimableBlobStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("containsMany")) {
                        lookups.addAndGet(((Collection<?>) args[0]).size());
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void blobsFoundBeforeAreNotLookedForWhileTheStoresRemovedNothingSince() throws Exception {
        try (LocalCache cache = openCache()) {
            ActionResult manifest = ingested(cache, 3, true);
            AtomicInteger lookups = new AtomicInteger();
            ClaimableBlobStore blobs = lookupsCounted(cache.blobs(), lookups);
            ClaimableBlobStore chunks = lookupsCounted(cache.chunks(), lookups);

            BlobClaim first = new BlobClaim(blobs, chunks);
            first.claimAhead(manifest.referencedBlobs(), manifest.referencedChunks(), null);
            assertThat(first.missing(manifest).isEmpty()).isTrue();
            assertThat(lookups.get()).as("nothing known: every blob and chunk looked for")
                    .isEqualTo(manifest.referencedBlobs().size() + manifest.referencedChunks().size());
            RemovalMarks foundAt = first.foundAt();

            lookups.set(0);
            BlobClaim second = new BlobClaim(blobs, chunks);
            second.claimAhead(manifest.referencedBlobs(), manifest.referencedChunks(), foundAt);
            assertThat(second.missing(manifest).isEmpty()).isTrue();
            assertThat(lookups.get()).isZero();
            assertThat(second.foundAt()).isEqualTo(foundAt);

            Digest blob = manifest.referencedBlobs().iterator().next();
            cache.blobs().delete(blob); // as evict, gc and verify remove: through the index
            BlobClaim third = new BlobClaim(blobs, chunks);
            third.claimAhead(manifest.referencedBlobs(), manifest.referencedChunks(), foundAt);
            assertThat(third.missing(manifest).blobs()).containsExactly(blob);
        }
    }

    @Test
    void aRemovalBetweenTheClaimAheadAndTheEndMakesTheClaimLookForEverythingAgain() throws Exception {
        try (LocalCache cache = openCache()) {
            ActionResult manifest = ingested(cache, 3, true);
            BlobClaim claim = new BlobClaim(cache.blobs(), cache.chunks());
            claim.claimAhead(manifest.referencedBlobs(), manifest.referencedChunks(), null);

            // a removal that claims do not hold off, e.g. verify quarantining a blob it found corrupt
            Digest chunk = manifest.referencedChunks().iterator().next();
            cache.chunks().delete(chunk);

            assertThat(claim.missing(manifest).chunks()).containsExactly(chunk);
        }
    }
}
