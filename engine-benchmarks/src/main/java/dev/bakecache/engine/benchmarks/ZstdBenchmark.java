package dev.bakecache.engine.benchmarks;

import com.github.luben.zstd.Zstd;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
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
 * zstd one-shot compression and decompression of 16 MiB of source-code-like text per op, into
 * preallocated buffers (so the codec is measured, not allocation). Both report MB/s of
 * <em>uncompressed</em> bytes; {@code decompress} reads the frame made at the same level.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@State(Scope.Benchmark)
public class ZstdBenchmark {

    @Param({"1", "3"})
    public int level;

    private byte[] data;
    private byte[] compressed;
    private int compressedLength;
    private byte[] compressBuffer;
    private byte[] decompressBuffer;

    @Setup
    public void generate() {
        data = BenchmarkData.textLike(BenchmarkData.SIZE, BenchmarkData.SEED);
        compressBuffer = new byte[(int) Zstd.compressBound(data.length)];
        decompressBuffer = new byte[data.length];
        compressedLength = (int) check(Zstd.compressByteArray(
                compressBuffer, 0, compressBuffer.length, data, 0, data.length, level));
        compressed = Arrays.copyOf(compressBuffer, compressedLength);
        System.out.printf("%nzstd level %d: %d -> %d bytes (ratio %.2f)%n",
                level, data.length, compressedLength, (double) data.length / compressedLength);
    }

    @Benchmark
    public long compress(Throughput throughput) {
        throughput.add(data.length);
        return check(Zstd.compressByteArray(compressBuffer, 0, compressBuffer.length, data, 0, data.length, level));
    }

    @Benchmark
    public long decompress(Throughput throughput) {
        throughput.add(data.length);
        return check(Zstd.decompressByteArray(
                decompressBuffer, 0, decompressBuffer.length, compressed, 0, compressedLength));
    }

    private static long check(long result) {
        if (Zstd.isError(result)) {
            throw new IllegalStateException("zstd failed: " + Zstd.getErrorName(result));
        }
        return result;
    }
}
