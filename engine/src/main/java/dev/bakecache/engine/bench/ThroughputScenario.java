package dev.bakecache.engine.bench;

import com.github.luben.zstd.Zstd;
import dev.bakecache.engine.chunk.FastCdcChunker;
import dev.bakecache.engine.config.ByteSize;
import dev.bakecache.engine.hash.HashAlgorithm;

import java.util.List;

/**
 * Per-byte speed of the building blocks, in memory: a save in the CAS hashes every changed byte
 * (BLAKE3) and chunks large files, while the old system compresses every byte of the recipe
 * (zstd level 3) on every save. Also BLAKE3 against SHA-256 and zstd's levels.
 */
final class ThroughputScenario extends Scenario {

    ThroughputScenario() {
        super("hashing", "Hashing, compression and chunking speed");
    }

    @Override
    public Measured measure(BenchWorkspace workspace) throws java.io.IOException {
        byte[] buffer = DatasetGenerator.mixedBuffer(workspace.scale().hashBufferBytes(), DatasetGenerator.SEED);
        long bytes = buffer.length;
        Stats blake3 = workspace.megabytesPerSecond(bytes, BenchWorkspace.NOTHING, () -> HashAlgorithm.BLAKE3.digest(buffer));
        Stats sha256 = workspace.megabytesPerSecond(bytes, BenchWorkspace.NOTHING, () -> HashAlgorithm.SHA256.digest(buffer));
        FastCdcChunker chunker = FastCdcChunker.withDefaults();
        Stats fastCdc = workspace.megabytesPerSecond(bytes, BenchWorkspace.NOTHING, () -> chunker.boundaries(buffer));
        Stats zstd1 = zstd(workspace, buffer, 1);
        Stats zstd3 = zstd(workspace, buffer, TarZstBaseline.LEVEL);
        Stats zstd9 = zstd(workspace, buffer, 9);
        return new Measured(List.of(
                Comparison.of("saveWork", "per-byte work of a save", Unit.MEGABYTES_PER_SECOND,
                        "CAS: BLAKE3 hash", blake3, "tar.zst: zstd level 3", zstd3),
                Comparison.of("hash", "content hash", Unit.MEGABYTES_PER_SECOND, "BLAKE3", blake3, "SHA-256", sha256),
                Comparison.of("chunking", "FastCDC chunking against zstd level 3", Unit.MEGABYTES_PER_SECOND,
                        "FastCDC (1/4/16 MiB)", fastCdc, "zstd level 3", zstd3),
                Comparison.alone("zstd1", "zstd level 1", Unit.MEGABYTES_PER_SECOND, "zstd level 1", zstd1),
                Comparison.alone("zstd9", "zstd level 9", Unit.MEGABYTES_PER_SECOND, "zstd level 9", zstd9)),
                "one thread, in memory, on " + ByteSize.format(bytes) + " of mixed text, semi-compressible and random bytes");
    }

    private static Stats zstd(BenchWorkspace workspace, byte[] buffer, int level) throws java.io.IOException {
        return workspace.megabytesPerSecond(buffer.length, BenchWorkspace.NOTHING, () -> Zstd.compress(buffer, level));
    }
}
