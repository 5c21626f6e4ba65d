package dev.bakecache.engine.bench;

import dev.bakecache.engine.hash.HashAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DatasetGeneratorTest {

    @TempDir
    Path dir;

    @Test
    void theSameSeedWritesTheSameTree() throws IOException {
        DatasetGenerator.writeTree(dir.resolve("a"), TinyScale.TINY, DatasetGenerator.SEED);
        DatasetGenerator.writeTree(dir.resolve("b"), TinyScale.TINY, DatasetGenerator.SEED);

        assertThat(contents(dir.resolve("a"))).isEqualTo(contents(dir.resolve("b"))).hasSize(33);
    }

    @Test
    void anotherSeedWritesOtherBytes() throws IOException {
        DatasetGenerator.writeTree(dir.resolve("a"), TinyScale.TINY, DatasetGenerator.SEED);
        DatasetGenerator.writeTree(dir.resolve("b"), TinyScale.TINY, DatasetGenerator.SEED + 1);

        assertThat(contents(dir.resolve("a"))).isNotEqualTo(contents(dir.resolve("b")));
    }

    @Test
    void recipesShareTheirModulesButNotTheirOwnFiles() throws IOException {
        for (int r = 0; r < 2; r++) {
            DatasetGenerator.writeSharedModules(dir.resolve("r" + r), 40, DatasetGenerator.SEED);
            DatasetGenerator.writeOwnFiles(dir.resolve("r" + r), r, DatasetGenerator.SEED);
        }

        assertThat(contents(dir.resolve("r0").resolve("node_modules")))
                .isEqualTo(contents(dir.resolve("r1").resolve("node_modules")));
        assertThat(contents(dir.resolve("r0").resolve("src")).values())
                .doesNotContainAnyElementsOf(contents(dir.resolve("r1").resolve("src")).values());
    }

    /** Relative path to content digest, for every file under {@code root}. */
    static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(p -> {
                try {
                    digests.put(root.relativize(p).toString(), HashAlgorithm.SHA256.digest(p).hash());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return digests;
    }
}
