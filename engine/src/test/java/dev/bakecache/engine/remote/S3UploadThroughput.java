package dev.bakecache.engine.remote;

import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.store.BlobStore;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Measures upload throughput to S3Proxy on loopback (not a test: numbers for the notes).
 * Run with the engine's test classpath:
 * {@code java -cp <test classpath> dev.bakecache.engine.remote.S3UploadThroughput}
 */
public final class S3UploadThroughput {

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("s3-throughput");
        try (S3ProxyServer server = new S3ProxyServer()) {
            server.start();
            for (int[] shape : new int[][] {{200, 1 << 20}, {2000, 10 << 10}}) {
                for (int threads : new int[] {1, 8}) {
                    measure(server, tmp, shape[0], shape[1], threads);
                }
            }
        }
    }

    private static void measure(S3ProxyServer server, Path tmp, int count, int size, int threads) throws Exception {
        Map<Digest, BlobStore.BlobSource> batch = new LinkedHashMap<>();
        Random random = new Random(count * 31L + size + threads);
        for (int i = 0; i < count; i++) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            batch.put(HashAlgorithm.BLAKE3.digest(data), () -> new ByteArrayInputStream(data));
        }
        String bucket = server.createBucket();
        try (S3Tier tier = S3Tier.open(server.remote(bucket, "bake/"), HashAlgorithm.BLAKE3,
                CompressionPolicy.defaults(), tmp, threads, server.credentials())) {
            long start = System.nanoTime();
            if (threads == 1) {
                for (Map.Entry<Digest, BlobStore.BlobSource> blob : batch.entrySet()) {
                    tier.blobs().put(blob.getKey(), blob.getValue().open());
                }
            } else {
                tier.blobs().putMany(batch);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double mb = (double) count * size / (1 << 20);
            System.out.printf("%d blobs x %d KiB, %d thread(s): %.1f s, %.1f MB/s, %.0f blobs/s; requests: %s%n",
                    count, size >> 10, threads, seconds, mb / seconds, count / seconds, tier.requests());
        }
    }
}
