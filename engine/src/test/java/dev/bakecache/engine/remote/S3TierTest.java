package dev.bakecache.engine.remote;

import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bucket tier on S3Proxy, plus what only S3 tells apart: a missing bucket. */
class S3TierTest extends BucketTierContract {

    @RegisterExtension
    static final S3ProxyServer server = new S3ProxyServer();

    @Override
    protected BucketServer server() {
        return server;
    }

    @Test
    void failureNamesTheBucketTheKeyAndTheHttpStatus() {
        RemoteConfig missingBucket = server.remote("no-such-bucket", "bake/");
        try (BucketTier tier = server.openTier(missingBucket, root.resolve("tmp"))) {
            // A PUT's error names bucket and key; whether its status arrives depends on whether the
            // server answers before or after reading the body, so the status is checked on a GET.
            assertThatThrownBy(() -> tier.manifests().putBytes("k1", "{}".getBytes()))
                    .isInstanceOf(ObjectRequestException.class)
                    .hasMessageContaining("PUT s3://no-such-bucket/bake/ac/k1.json");
            Digest digest = HashAlgorithm.BLAKE3.digest("hello".getBytes());
            assertThatThrownBy(() -> tier.blobs().get(digest))
                    .as("a missing bucket is not a missing blob")
                    .isInstanceOf(ObjectRequestException.class)
                    .hasMessageContaining("GET s3://no-such-bucket/" + tier.blobs().keyOf(digest))
                    .hasMessageContaining("HTTP 404")
                    .hasMessageContaining("cache.remotes[].bucket");
        }
    }
}
