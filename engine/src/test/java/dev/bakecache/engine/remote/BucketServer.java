package dev.bakecache.engine.remote;

import dev.bakecache.engine.config.RemoteConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A server the remote-tier tests run against (S3Proxy, the Firebase Storage emulator, an
 * in-memory GCS), reachable only on 127.0.0.1 or in this JVM, with a way around the tier to look
 * at or tamper with its objects.
 */
interface BucketServer {

    /** A new empty bucket, so tests sharing the server never see each other's objects. */
    String createBucket() throws IOException;

    RemoteConfig remote(String bucket, String prefix);

    /** The tier on {@code remote}, as {@code Tiers.open} would open it but with test credentials. */
    BucketTier openTier(RemoteConfig remote, Path tmpDir);

    /** Every key in the bucket, read behind the tier's back. */
    List<String> keys(String bucket) throws IOException;

    byte[] read(String bucket, String key) throws IOException;

    /** Replaces the object's bytes behind the tier's back, as a bad copy would. */
    void write(String bucket, String key, byte[] bytes) throws IOException;
}
