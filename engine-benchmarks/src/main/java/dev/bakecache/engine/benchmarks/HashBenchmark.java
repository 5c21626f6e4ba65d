package dev.bakecache.engine.benchmarks;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Whole-buffer content hashing, as the store does for every blob: 16 MiB of mixed data per op. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@State(Scope.Benchmark)
public class HashBenchmark {

    private byte[] data;

    @Setup
    public void generate() {
        data = BenchmarkData.mixed(BenchmarkData.SIZE, BenchmarkData.SEED);
    }

    @Benchmark
    public Digest blake3(Throughput throughput) {
        throughput.add(data.length);
        return HashAlgorithm.BLAKE3.digest(data);
    }

    @Benchmark
    public Digest sha256(Throughput throughput) {
        throughput.add(data.length);
        return HashAlgorithm.SHA256.digest(data);
    }
}
