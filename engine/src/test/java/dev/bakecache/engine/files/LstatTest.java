package dev.bakecache.engine.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class LstatTest {

    @TempDir
    Path tmp;

    @Test
    void nativeAnswerIsWhatNioSaysForFilesDirectoriesAndSymlinks() throws Exception {
        assertThat(Statx.available()).as("statx on this Linux machine").isTrue();
        Path file = Files.writeString(tmp.resolve("file.txt"), "hello");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-x---"));
        Path dir = Files.createDirectory(tmp.resolve("dir"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Path.of("file.txt"));
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), Path.of("nowhere"));
        Path hardLink = Files.createLink(tmp.resolve("hard"), file);
        Path fifo = tmp.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();

        for (Path path : new Path[] {file, dir, link, dangling, hardLink, fifo, tmp}) {
            assertThat(Lstat.of(path)).as(path.toString()).isEqualTo(Lstat.viaNio(path));
        }
        assertThat(Lstat.of(file).isRegularFile()).isTrue();
        assertThat(Lstat.of(file).hasExecBits(true)).isFalse(); // rwxr-x---: not all three
        assertThat(Lstat.of(link).isSymlink()).as("not followed").isTrue();
        assertThat(Lstat.of(dir).isDirectory()).isTrue();
        assertThat(Lstat.of(hardLink).ino()).isEqualTo(Lstat.of(file).ino());
        assertThat(Lstat.of(file).nlink()).isEqualTo(2);
        assertThat(Lstat.of(fifo).kind()).isEqualTo("a special file");
    }

    @Test
    void missingPathsAndPathsBelowAFileAreNull() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThat(Lstat.of(tmp.resolve("missing"))).isNull();
        assertThat(Lstat.of(file.resolve("below"))).isNull();
        assertThat(Lstat.viaNio(tmp.resolve("missing"))).isNull();
    }

    @Test
    void namesWithSpacesAndUnicodeAreFound() throws IOException {
        Path file = Files.writeString(tmp.resolve("ünïcode name ✓.txt"), "x");
        assertThat(Lstat.of(file)).isEqualTo(Lstat.viaNio(file)).isNotNull();
    }

    @Test
    void relativePathsResolveAgainstTheWorkingDirectory() throws IOException {
        Path relative = Path.of("pom.xml");
        assertThat(Lstat.of(relative)).isEqualTo(Lstat.viaNio(relative)).isNotNull();
    }
}
