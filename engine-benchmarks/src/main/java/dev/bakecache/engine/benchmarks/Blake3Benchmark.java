package dev.bakecache.engine.benchmarks;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.hash.blake3.Blake3;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Our vectorized BLAKE3 against BouncyCastle's and the JDK's SHA-256 on one input of each size,
 * single-threaded: small blobs show the fixed cost per hash, large ones the bulk speed.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@State(Scope.Benchmark)
public class Blake3Benchmark {

    @Param({"1024", "65536", "1048576", "67108864"})
    public int size;

    private byte[] data;

    @Setup
    public void generate() {
        data = BenchmarkData.mixed(size, BenchmarkData.SEED);
    }

    @Benchmark
    public byte[] vectorBlake3(Throughput throughput) {
        throughput.add(data.length);
        Blake3 hasher = Blake3.newHasher();
        hasher.update(data, 0, data.length);
        return hasher.finish();
    }

    @Benchmark
    public byte[] bouncyCastleBlake3(Throughput throughput) {
        throughput.add(data.length);
        Blake3Digest digest = new Blake3Digest(256);
        digest.update(data, 0, data.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }

    @Benchmark
    public Digest jdkSha256(Throughput throughput) {
        throughput.add(data.length);
        return HashAlgorithm.SHA256.digest(data);
    }
}
