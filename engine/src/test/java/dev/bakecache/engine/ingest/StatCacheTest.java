package dev.bakecache.engine.ingest;

import dev.bakecache.engine.hash.HashAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class StatCacheTest {

    @TempDir
    Path tmp;

    /** A stamp old enough to be trusted by a later load (not racy). */
    private static FileStamp stamp(int i) {
        return new FileStamp(100 + i, 1_000_000L + i, 1_000_000L + i, 42 + i, 0100644);
    }

    private StatCache cacheWith(Path file, int entries) throws IOException {
        StatCache cache = StatCache.load(file, HashAlgorithm.BLAKE3);
        for (int i = 0; i < entries; i++) {
            cache.record("f" + i, stamp(i), HashAlgorithm.BLAKE3.digest(("content " + i).getBytes()), List.of());
        }
        cache.recordBlobsFoundAt(new RemovalMarks(7, 8));
        cache.save();
        return cache;
    }

    @Test
    void whatWasSavedLoadsBack() throws IOException {
        Path file = tmp.resolve("state/sc.bin");
        cacheWith(file, 3);

        StatCache loaded = StatCache.load(file, HashAlgorithm.BLAKE3);

        assertThat(loaded.size()).isEqualTo(3);
        assertThat(loaded.lookup("f1", stamp(1))).hasValueSatisfying(known ->
                assertThat(known.digest()).isEqualTo(HashAlgorithm.BLAKE3.digest("content 1".getBytes())));
        assertThat(loaded.blobsFoundAt()).isEqualTo(new RemovalMarks(7, 8));
    }

    @Test
    void aSaveOverALongerFileLeavesNoStaleTail() throws IOException {
        Path file = tmp.resolve("sc.bin");
        StatCache cache = cacheWith(file, 100);
        long longer = Files.size(file);
        cache.retainOnly(List.of("f5"));
        cache.save();

        assertThat(Files.size(file)).isLessThan(longer);
        assertThat(StatCache.load(file, HashAlgorithm.BLAKE3).size()).isEqualTo(1);
    }

    @Test
    void aTornOrAlteredFileReadsAsEmptySoEverythingIsHashedAgain() throws IOException {
        Path file = tmp.resolve("sc.bin");
        cacheWith(file, 20);
        byte[] saved = Files.readAllBytes(file);

        byte[] altered = saved.clone();
        altered[saved.length / 2] ^= 1;
        Files.write(file, altered);
        assertThat(StatCache.load(file, HashAlgorithm.BLAKE3).size()).isZero();

        Files.write(file, Arrays.copyOf(saved, saved.length - 10));
        assertThat(StatCache.load(file, HashAlgorithm.BLAKE3).size()).isZero();

        // a save cut short: new bytes over the first part, the old ones after
        byte[] mixed = saved.clone();
        IntStream.range(0, saved.length / 3).forEach(i -> mixed[i] = 0);
        Files.write(file, mixed);
        assertThat(StatCache.load(file, HashAlgorithm.BLAKE3).size()).isZero();
        assertThat(StatCache.load(file, HashAlgorithm.BLAKE3).blobsFoundAt()).isNull();
    }
}
