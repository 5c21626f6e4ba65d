package dev.bakecache.engine.remote;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Measures upload throughput on loopback to S3Proxy and to the Firebase Storage emulator (not a
 * test: numbers for the notes). Blobs are random, so stored raw, of sizes spread over
 * 64 KiB to 1 MiB. Run with the engine's test classpath:
 * {@code java -cp <test classpath> dev.bakecache.engine.remote.UploadThroughput}
 */
public final class UploadThroughput {

    private static final int BLOBS = 200;
    private static final int MIN_SIZE = 64 << 10;
    private static final int MAX_SIZE = 1 << 20;

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("upload-throughput");
        try (S3ProxyServer s3 = new S3ProxyServer()) {
            s3.start();
            measureBoth("S3Proxy", s3, tmp);
        }
        measureBoth("Firebase Storage emulator", GcsServer.emulator(), tmp);
        System.exit(0);
    }

    private static void measureBoth(String name, BucketServer server, Path tmp) throws Exception {
        for (int threads : new int[] {1, 8}) {
            measure(name, server, tmp, threads);
        }
    }

    private static void measure(String name, BucketServer server, Path tmp, int threads) throws Exception {
        Map<Digest, BucketBlobStore.BlobSource> batch = new LinkedHashMap<>();
        Random random = new Random(threads);
        long bytes = 0;
        for (int i = 0; i < BLOBS; i++) {
            byte[] data = new byte[MIN_SIZE + random.nextInt(MAX_SIZE - MIN_SIZE + 1)];
            random.nextBytes(data);
            bytes += data.length;
            batch.put(HashAlgorithm.BLAKE3.digest(data), () -> new ByteArrayInputStream(data));
        }
        String bucket = server.createBucket();
        try (BucketTier tier = server.openTier(server.remote(bucket, "bake/"), tmp)) {
            long start = System.nanoTime();
            if (threads == 1) {
                for (Map.Entry<Digest, BucketBlobStore.BlobSource> blob : batch.entrySet()) {
                    tier.blobs().put(blob.getKey(), blob.getValue().open());
                }
            } else {
                tier.blobs().putMany(batch);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double mb = bytes / (double) (1 << 20);
            System.out.printf("%s: %d blobs, %.1f MiB, %d thread(s): %.1f s, %.1f MB/s, %.0f blobs/s; requests: %s%n",
                    name, BLOBS, mb, threads, seconds, mb / seconds, BLOBS / seconds, tier.requests());
        }
    }
}
