package dev.bakecache.engine.migrate;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.ConfigLoader;
import dev.bakecache.engine.migrate.LegacyArchiveWriter.Entry;
import dev.bakecache.engine.migrate.MigrationOutcome.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and broken archives: each is rejected with its reason, leaves no manifest, and
 * nothing is written outside the cache; the archives next to it still migrate.
 */
class RejectedArchivesTest {

    @TempDir
    Path tmp;

    /** A hostile archive's bytes, given where the test's files live (to aim absolute paths at). */
    interface Hostile extends Function<Path, byte[]> {
    }

    static Stream<Arguments> hostileArchives() {
        Entry ok = Entry.file("dist/ok.js", "ok");
        byte[] good = LegacyArchiveWriter.tar(List.of(ok, Entry.file("dist/app.js", "x".repeat(5000))));
        return Stream.of(
                hostile("absolute path", dir -> archive(ok, Entry.file(dir.resolve("outside/pwned").toString(), "x")),
                        "is absolute"),
                hostile("'..' in a path", dir -> archive(ok, Entry.file("dist/../../outside/pwned", "x")),
                        "contains '..'"),
                hostile("symlink out of the tree", dir -> archive(ok, Entry.symlink("dist/etc", "../../etc")),
                        "symlink 'dist/etc' points to '../../etc', outside the output tree"),
                hostile("symlink to an absolute path", dir -> archive(ok, Entry.symlink("passwd", "/etc/passwd")),
                        "points to absolute path '/etc/passwd'"),
                hostile("entry below a symlink", dir -> archive(Entry.symlink("lib", "dist"), Entry.file("lib/evil.js", "x")),
                        "entry 'lib/evil.js' lies below 'lib', a symlink"),
                hostile("hard link out of the tree", dir -> archive(ok, Entry.hardLink("dist/passwd", "../etc/passwd")),
                        "hard link 'dist/passwd' points outside the tree"),
                hostile("hard link to an absolute path", dir -> archive(ok, Entry.hardLink("passwd", "/etc/passwd")),
                        "hard link 'passwd' points outside the tree"),
                hostile("hard link to nothing earlier", dir -> archive(Entry.hardLink("copy.js", "dist/ok.js"), ok),
                        "not a regular file earlier in the archive"),
                hostile("character device", dir -> archive(ok, Entry.characterDevice("dev/null")),
                        "entry 'dev/null' is a character device"),
                hostile("FIFO", dir -> archive(ok, Entry.fifo("pipe")), "entry 'pipe' is a FIFO"),
                hostile("duplicate entry", dir -> archive(ok, Entry.file("./dist/ok.js", "other")),
                        "duplicate entry 'dist/ok.js'"),
                hostile("truncated zstd", dir -> cut(LegacyArchiveWriter.zstd(good), 0.5), "corrupt or truncated zstd"),
                hostile("corrupt zstd", dir -> flipped(LegacyArchiveWriter.zstd(good)), "corrupt or truncated zstd"),
                hostile("not zstd at all", dir -> good, "corrupt or truncated zstd"),
                hostile("tar cut inside a file", dir -> LegacyArchiveWriter.zstd(cut(good, 0.5)),
                        "broken or truncated tar"),
                hostile("tar cut after an entry", dir -> LegacyArchiveWriter.zstd(Arrays.copyOf(good, 1024)),
                        "truncated tar: the archive ends without its end-of-archive marker"));
    }

    private static Arguments hostile(String name, Hostile bytes, String reason) {
        return Arguments.of(name, bytes, reason);
    }

    private static byte[] archive(Entry... entries) {
        return LegacyArchiveWriter.zstd(LegacyArchiveWriter.tar(List.of(entries)));
    }

    private static byte[] cut(byte[] bytes, double fraction) {
        return Arrays.copyOf(bytes, (int) (bytes.length * fraction));
    }

    /** The bytes with their middle third inverted. */
    private static byte[] flipped(byte[] bytes) {
        byte[] copy = bytes.clone();
        for (int i = copy.length / 3; i < 2 * copy.length / 3; i++) {
            copy[i] = (byte) ~copy[i];
        }
        return copy;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileArchives")
    void hostileArchiveIsRejectedWithItsReasonAndNothingIsWrittenOutsideTheCache(String name, Hostile hostile,
                                                                                String reason) throws IOException {
        Path legacy = Files.createDirectories(tmp.resolve("legacy"));
        Path archive = Files.write(legacy.resolve("evil.tar.zst"), hostile.apply(tmp));
        Map<String, Long> outsideBefore = filesOutsideTheCache();

        try (LocalCache cache = LocalCache.open(ConfigLoader.defaults().withLocalPath(tmp.resolve("cache")),
                CacheFixtures.ENV)) {
            MigrationOutcome outcome = new LegacyArchiveMigrator(cache).migrate(archive, true);

            assertThat(outcome.status()).as(outcome.describe()).isEqualTo(Status.REJECTED);
            assertThat(outcome.detail()).contains(reason);
            assertThat(outcome.describe()).startsWith("rejected evil.tar.zst: ");
            assertThat(cache.actions().contains("evil")).isFalse();
            assertThat(cache.layout().tmpDir()).isEmptyDirectory();
        }
        assertThat(filesOutsideTheCache()).as("the archive is kept, nothing else appears").isEqualTo(outsideBefore);
    }

    @Test
    void archiveWhoseNameIsNoActionKeyIsRejected() throws IOException {
        Path archive = Files.write(Files.createDirectories(tmp.resolve("legacy")).resolve("my app.tar.zst"),
                archive(Entry.file("a", "a")));
        try (LocalCache cache = LocalCache.open(ConfigLoader.defaults().withLocalPath(tmp.resolve("cache")),
                CacheFixtures.ENV)) {
            MigrationOutcome outcome = new LegacyArchiveMigrator(cache).migrate(archive, false);

            assertThat(outcome.status()).isEqualTo(Status.REJECTED);
            assertThat(outcome.detail()).contains("action key 'my app' has ' ' at position 2", "rename the archive");
        }
    }

    /** Every file under the test's directory but the cache, with its size. */
    private Map<String, Long> filesOutsideTheCache() throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(tmp)) {
            for (Path p : (Iterable<Path>) walk.filter(p -> !p.startsWith(tmp.resolve("cache")))::iterator) {
                files.put(tmp.relativize(p).toString(), Files.isRegularFile(p) ? Files.size(p) : -1);
            }
        }
        return files;
    }
}
