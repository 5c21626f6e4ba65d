package dev.bakecache.engine.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectoryListingTest {

    @TempDir
    Path tmp;

    private static List<DirectoryListing.Item> sorted(List<DirectoryListing.Item> items) {
        return items.stream().sorted(Comparator.comparing(DirectoryListing.Item::name)).toList();
    }

    @Test
    void nativeListingIsWhatNioListsWithTheSameStats() throws IOException {
        Files.writeString(tmp.resolve("a.txt"), "a");
        Files.createDirectory(tmp.resolve("sub"));
        Files.createSymbolicLink(tmp.resolve("link"), Path.of("a.txt"));
        Files.createSymbolicLink(tmp.resolve("dangling"), Path.of("nowhere"));
        Files.writeString(tmp.resolve("ünïcode ✓"), "u");
        for (int i = 0; i < 300; i++) {
            Files.writeString(tmp.resolve("f" + i), "x".repeat(i));
        }

        List<DirectoryListing.Item> listed = sorted(DirectoryListing.read(tmp));

        assertThat(listed).hasSize(305).isEqualTo(sorted(DirectoryListing.viaNio(tmp)));
        assertThat(listed).filteredOn(i -> i.name().equals("link")).singleElement()
                .satisfies(i -> assertThat(i.stat().isSymlink()).isTrue());
        assertThat(listed).filteredOn(i -> i.name().equals("f299")).singleElement()
                .satisfies(i -> assertThat(i.stat().size()).isEqualTo(299));
    }

    @Test
    void anEmptyDirectoryHasNoEntries() throws IOException {
        assertThat(DirectoryListing.read(tmp)).isEmpty();
    }

    @Test
    void aMissingDirectoryOrAFileIsReportedAsNioReportsIt() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> DirectoryListing.read(tmp.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> DirectoryListing.read(file)).isInstanceOf(NotDirectoryException.class);
    }
}
