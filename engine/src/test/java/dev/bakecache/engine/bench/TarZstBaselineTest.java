package dev.bakecache.engine.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TarZstBaselineTest {

    @TempDir
    Path dir;

    @Test
    void extractingTheArchiveGivesBackTheTree() throws IOException {
        Path tree = dir.resolve("tree");
        int files = DatasetGenerator.writeTree(tree, TinyScale.TINY, DatasetGenerator.SEED).size();
        Path archive = dir.resolve("recipe.tar.zst");

        long size = TarZstBaseline.archive(tree, archive, 1);
        long extracted = TarZstBaseline.extract(archive, dir.resolve("out"));

        assertThat(size).isEqualTo(Files.size(archive)).isLessThan(BenchWorkspace.treeBytes(tree));
        assertThat(extracted).isEqualTo(files);
        assertThat(TarZstBaseline.list(archive)).isEqualTo(files);
        assertThat(DatasetGeneratorTest.contents(dir.resolve("out"))).isEqualTo(DatasetGeneratorTest.contents(tree));
    }

    @Test
    void extractingOverAnExtractedTreeOverwritesIt() throws IOException {
        Path tree = dir.resolve("tree");
        DatasetGenerator.writeTree(tree, TinyScale.TINY, DatasetGenerator.SEED);
        Path archive = dir.resolve("recipe.tar.zst");
        TarZstBaseline.archive(tree, archive, 2);
        Path out = dir.resolve("out");
        TarZstBaseline.extract(archive, out);
        Path edited = out.resolve("src/module-0/file-0.js");
        Files.writeString(edited, "edited");

        TarZstBaseline.extract(archive, out);

        assertThat(DatasetGeneratorTest.contents(out)).isEqualTo(DatasetGeneratorTest.contents(tree));
    }
}
