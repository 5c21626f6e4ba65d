package dev.bakecache.engine.benchmarks;

import dev.bakecache.engine.chunk.ChunkingParams;
import dev.bakecache.engine.chunk.FastCdcChunker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
 * FastCDC boundary finding over 16 MiB of mixed data per op: {@code nextCutPoint} walks an
 * in-memory array; {@code split} streams it through the chunker's buffer as a file would be.
 * Chunk sizes: the defaults (1/4/16 MiB) and small ones (16/64/256 KiB) to show the per-chunk
 * overhead.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@State(Scope.Benchmark)
public class FastCdcBenchmark {

    @Param({"1m-4m-16m", "16k-64k-256k"})
    public String sizes;

    private byte[] data;
    private FastCdcChunker chunker;

    @Setup
    public void generate() {
        data = BenchmarkData.mixed(BenchmarkData.SIZE, BenchmarkData.SEED);
        chunker = new FastCdcChunker(switch (sizes) {
            case "1m-4m-16m" -> ChunkingParams.defaults();
            case "16k-64k-256k" -> new ChunkingParams(16 << 10, 64 << 10, 256 << 10);
            default -> throw new IllegalArgumentException("unknown sizes " + sizes);
        });
    }

    @Benchmark
    public int nextCutPoint(Throughput throughput) {
        int chunks = 0;
        for (int position = 0; position < data.length; chunks++) {
            position += chunker.nextCutPoint(data, position, data.length - position);
        }
        throughput.add(data.length);
        return chunks;
    }

    @Benchmark
    public long split(Throughput throughput) throws IOException {
        long[] lengthSum = {0};
        chunker.split(new ByteArrayInputStream(data), (buf, offset, length) -> lengthSum[0] += length);
        throughput.add(data.length);
        return lengthSum[0];
    }
}
