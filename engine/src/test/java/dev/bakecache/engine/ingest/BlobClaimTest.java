package dev.bakecache.engine.ingest;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.store.BlobKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

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

    private static Instant claimed(LocalCache cache, Digest blob) {
        return cache.index().find(BlobKind.BLOB, blob.hash()).orElseThrow().claimed();
    }

    @Test
    void usesRecordedAheadAreNotRecordedAgainWhileFreshButAreOnceStale() throws Exception {
        try (LocalCache cache = LocalCache.open(CacheFixtures.config(tmp.resolve("cache")), CacheFixtures.ENV)) {
            CacheFixtures.ingest(cache, "k", CacheFixtures.tree(tmp.resolve("t"), 1, false));
            ActionResult manifest = cache.actions().get("k").orElseThrow();
            Digest blob = manifest.referencedBlobs().iterator().next();
            Hands hands = new Hands();

            BlobClaim fresh = new BlobClaim(cache.blobs(), cache.chunks(), hands);
            fresh.claimAhead(manifest.referencedBlobs(), manifest.referencedChunks());
            Instant ahead = claimed(cache, blob);
            Thread.sleep(5);
            hands.now = hands.now.plus(BlobClaim.STILL_FRESH.minusSeconds(1));
            assertThat(fresh.missing(manifest).isEmpty()).isTrue();
            assertThat(claimed(cache, blob)).as("not recorded again").isEqualTo(ahead);

            BlobClaim stale = new BlobClaim(cache.blobs(), cache.chunks(), hands);
            stale.claimAhead(manifest.referencedBlobs(), manifest.referencedChunks());
            Thread.sleep(5);
            hands.now = hands.now.plus(BlobClaim.STILL_FRESH.plus(Duration.ofSeconds(1)));
            assertThat(stale.missing(manifest).isEmpty()).isTrue();
            assertThat(claimed(cache, blob)).as("recorded again right before the check").isAfter(ahead);
        }
    }

    @Test
    void missingNamesWhatIsNotStored() throws IOException {
        try (LocalCache cache = LocalCache.open(CacheFixtures.config(tmp.resolve("cache")), CacheFixtures.ENV)) {
            CacheFixtures.ingest(cache, "k", CacheFixtures.tree(tmp.resolve("t"), 1, true));
            ActionResult manifest = cache.actions().get("k").orElseThrow();
            Digest blob = manifest.referencedBlobs().iterator().next();
            Digest chunk = manifest.referencedChunks().iterator().next();
            cache.blobs().delete(blob);
            cache.chunks().delete(chunk);

            BlobClaim.Missing missing = new BlobClaim(cache.blobs(), cache.chunks()).missing(manifest);

            assertThat(missing.blobs()).containsExactly(blob);
            assertThat(missing.chunks()).containsExactly(chunk);
        }
    }
}
