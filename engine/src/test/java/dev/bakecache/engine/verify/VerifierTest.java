package dev.bakecache.engine.verify;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.compress.BlobFormat;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.index.IndexEntry;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.store.BlobKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class VerifierTest {

    @TempDir
    Path tmp;
    private Path outputs;
    private LocalCache cache;

    @BeforeEach
    void ingest() throws IOException {
        outputs = CacheFixtures.outputs(tmp.resolve("outputs"));
        cache = LocalCache.open(CacheFixtures.config(tmp.resolve("cache")), CacheFixtures.ENV);
        cache.ingester().ingest("app", outputs, ProgressListener.NONE);
    }

    @AfterEach
    void close() throws IOException {
        cache.close();
    }

    private VerifyReport verify() throws IOException {
        return new Verifier(cache, Sample.ALL).verifyAll(ProgressListener.NONE);
    }

    private IndexEntry anEntry(BlobKind kind, BlobFormat format) {
        List<IndexEntry> entries = new ArrayList<>();
        cache.index().forEach(entry -> {
            if (entry.kind() == kind && entry.compression() == format) {
                entries.add(entry);
            }
        });
        assertThat(entries).as(kind + " " + format + " entries").isNotEmpty();
        return entries.getFirst();
    }

    private Path fileOf(IndexEntry entry) {
        return (entry.kind() == BlobKind.BLOB ? cache.blobs() : cache.chunks()).files().pathOf(entry.hash());
    }

    /** Blob files are read-only: a disk error, not a writer, flips bits in them. */
    private static void flipAByte(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = channel.size() / 2;
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            channel.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 0x10)).rewind();
            channel.write(one, at);
        }
    }

    @Test
    void aCacheAsIngestedHasNoFindings() throws IOException {
        VerifyReport report = verify();
        assertThat(report.problemCount()).isZero();
        assertThat(report.blobsChecked()).isEqualTo(cache.index().totals().count());
        assertThat(report.bytesChecked()).isEqualTo(cache.index().totals().totalSize());
        assertThat(report.manifestsChecked()).isEqualTo(1);
        assertThat(report.summary()).endsWith("no problems found");
    }

    @Test
    void flippedBytesInRawAndZstdBlobsAndInAChunkAreQuarantinedAndDroppedFromTheIndex() throws IOException {
        List<IndexEntry> damaged = List.of(anEntry(BlobKind.BLOB, BlobFormat.RAW), anEntry(BlobKind.BLOB, BlobFormat.ZSTD),
                anEntry(BlobKind.CHUNK, BlobFormat.RAW));
        for (IndexEntry entry : damaged) {
            flipAByte(fileOf(entry));
        }

        VerifyReport report = verify();

        assertThat(report.problems()).containsEntry(Finding.Problem.CORRUPT_BLOB, 2L)
                .containsEntry(Finding.Problem.CORRUPT_CHUNK, 1L)
                .containsEntry(Finding.Problem.INCOMPLETE_MANIFEST, 1L);
        Path quarantine = cache.layout().quarantineDir();
        for (IndexEntry entry : damaged) {
            String dir = entry.kind() == BlobKind.BLOB ? "blobs" : "chunks";
            assertThat(fileOf(entry)).doesNotExist();
            assertThat(quarantine.resolve(dir).resolve(entry.hash())).exists();
            assertThat(cache.index().find(entry.kind(), entry.hash())).isEmpty();
            assertThat(report.findings()).anyMatch(line -> line.startsWith("corrupt ") && line.contains(entry.hash())
                    && line.contains(quarantine.resolve(dir).resolve(entry.hash()).toString()));
        }
        assertThat(report.findings()).anyMatch(line -> line.startsWith("incomplete manifest app: the cache lacks 3 "));
        assertThat(cache.actions().contains("app")).as("a restore now fails fast: no manifest").isFalse();
        assertThat(quarantine.resolve("ac/app.json")).exists();

        assertThat(verify().problemCount()).as("nothing is left that is wrong").isZero();
        cache.ingester().ingest("app", outputs, ProgressListener.NONE);
        assertThat(verify().problemCount()).as("ingesting again stores the quarantined blobs anew").isZero();
        Path restored = tmp.resolve("restored");
        cache.restorer().restore(cache.actions().get("app").orElseThrow(), restored, ProgressListener.NONE);
        assertThat(restored.resolve("big.bin")).hasSameBinaryContentAs(outputs.resolve("big.bin"));
    }

    @Test
    void aManifestNamingAMissingBlobIsReportedAndQuarantined() throws IOException {
        Digest data = cache.actions().get("app").orElseThrow().outputFiles().stream()
                .filter(f -> f.path().equals("data.bin")).findFirst().orElseThrow().digest();
        Files.delete(cache.blobs().files().pathOf(data));

        VerifyReport report = verify();

        assertThat(report.problemCount()).isEqualTo(1);
        assertThat(report.findings()).singleElement().asString()
                .startsWith("incomplete manifest app: the cache lacks 1 of the blobs and chunks it names: blob " + data)
                .endsWith("(moved to " + cache.layout().quarantineDir().resolve("ac/app.json") + ")");
        assertThat(cache.actions().contains("app")).isFalse();
    }

    @Test
    void aTamperedManifestIsReportedAndLeftInPlace() throws IOException {
        Path manifest = cache.actions().pathOf("app");
        Files.writeString(manifest, Files.readString(manifest).replace("data.bin", "evil.bin"));

        VerifyReport report = verify();

        assertThat(report.problems()).containsEntry(Finding.Problem.INVALID_MANIFEST, 1L);
        assertThat(report.findings()).singleElement().asString()
                .startsWith("invalid manifest app: ").contains("wrong signature").endsWith("(left in place)");
        assertThat(manifest).exists();
    }

    @Test
    void aSampleIsTheSameForTheSameSeedAndDiffersBetweenSeeds() {
        Random random = new Random(5);
        List<String> hashes = IntStream.range(0, 20_000).mapToObj(i -> {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            return java.util.HexFormat.of().formatHex(bytes);
        }).toList();
        Set<String> first = sampled(new Sample(10, 42), hashes);
        assertThat(sampled(new Sample(10, 42), hashes)).isEqualTo(first);
        assertThat(first.size()).isBetween(1_700, 2_300);
        Set<String> other = sampled(new Sample(10, 43), hashes);
        assertThat(other).isNotEqualTo(first);
        Set<String> both = new HashSet<>(first);
        both.retainAll(other);
        assertThat(both.size()).as("independent draws overlap by about 1%").isLessThan(400);
    }

    private static Set<String> sampled(Sample sample, List<String> hashes) {
        Set<String> chosen = new HashSet<>();
        hashes.stream().filter(sample::includes).forEach(chosen::add);
        return chosen;
    }

    @Test
    void aSampledRunRehashesOnlyTheChosenBlobs() throws IOException {
        Sample sample = new Sample(30, 7);
        long expected = 0;
        Set<String> chosen = new HashSet<>();
        List<IndexEntry> all = new ArrayList<>();
        cache.index().forEach(all::add);
        for (IndexEntry entry : all) {
            if (sample.includes(entry.hash())) {
                expected++;
                chosen.add(entry.hash());
            }
        }
        IndexEntry skipped = all.stream().filter(e -> !chosen.contains(e.hash())).findFirst().orElseThrow();
        flipAByte(fileOf(skipped));

        VerifyReport report = new Verifier(cache, sample).verifyAll(ProgressListener.NONE);

        assertThat(report.blobsChecked()).isEqualTo(expected).isLessThan(all.size());
        assertThat(report.problemCount()).as("the damaged blob was not in the sample").isZero();
        assertThat(Sample.parse(" 30 % ", 7)).isEqualTo(sample);
    }

    @Test
    void quarantiningAFindingTwiceIsHarmless() throws IOException {
        IndexEntry entry = anEntry(BlobKind.BLOB, BlobFormat.RAW);
        flipAByte(fileOf(entry));
        Verifier verifier = new Verifier(cache, Sample.ALL);
        List<Finding> findings = verifier.checkShard(BlobKind.BLOB, Integer.parseInt(entry.hash().substring(0, 2), 16),
                ProgressListener.NONE).findings();
        assertThat(fileOf(entry)).as("checking moves nothing").exists();

        verifier.quarantineAll(findings);
        verifier.quarantineAll(findings); // a resumed run repeats the last unit's moves

        assertThat(fileOf(entry)).doesNotExist();
        assertThat(findings.getFirst().quarantined()).exists();
    }

    @Test
    void verifyingStepByStepFromSavedProgressFindsWhatVerifyingAllAtOnceFinds() throws IOException {
        IndexEntry entry = anEntry(BlobKind.BLOB, BlobFormat.RAW);
        flipAByte(fileOf(entry));
        VerifyProgress at = VerifyProgress.start(Sample.ALL);
        int steps = 0;
        while (!at.done()) {
            // a new verifier per step, from the saved token: as a run killed after each step resumes
            at = new Verifier(cache, Sample.ALL).verifySome(VerifyProgress.fromToken(at.toToken()),
                    ProgressListener.NONE);
            steps++;
        }

        assertThat(steps).isGreaterThan(2);
        assertThat(at.soFar().problems()).containsEntry(Finding.Problem.CORRUPT_BLOB, 1L)
                .containsEntry(Finding.Problem.INCOMPLETE_MANIFEST, 1L);
        assertThat(at.soFar().blobsChecked()).isEqualTo(cache.index().totals().count() + 1);
        assertThat(fileOf(entry)).doesNotExist();
        assertThat(cache.actions().contains("app")).isFalse();
    }
}
