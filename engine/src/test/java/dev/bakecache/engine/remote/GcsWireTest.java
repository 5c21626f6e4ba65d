package dev.bakecache.engine.remote;

import com.google.cloud.NoCredentials;
import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.config.RemoteType;
import dev.bakecache.engine.hash.HashAlgorithm;

import java.nio.charset.StandardCharsets;

/** The wire contract over the GCS JSON API, whose answers carry the object's metadata as JSON. */
class GcsWireTest extends BucketWireContract {

    @Override
    protected ScriptedServer.Responder responder() {
        return (exchange, hash, status) -> {
            String key = exchange.getRequestURI().getPath().replaceFirst(".*/o/", "");
            return status != 200 ? new byte[0] : ("{\"kind\":\"storage#object\",\"bucket\":\"bucket\",\"name\":\"" + key
                    + "\",\"size\":\"5\",\"updated\":\"2026-01-01T00:00:00.000Z\"}").getBytes(StandardCharsets.UTF_8);
        };
    }

    @Override
    protected BucketTier openTier() {
        RemoteConfig remote = new RemoteConfig("scripted", RemoteType.GCS, "bucket", null, "", "test-project",
                server.endpoint());
        return GcsTier.open(remote, HashAlgorithm.BLAKE3, CompressionPolicy.defaults(), root, 1,
                GcsTier.client(remote, NoCredentials.getInstance()));
    }
}
