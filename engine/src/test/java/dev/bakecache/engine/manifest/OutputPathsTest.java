package dev.bakecache.engine.manifest;

import dev.bakecache.engine.hash.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutputPathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "/etc/passwd", "a/../../b", "a//b", "a/", "./a", "", "a/\0b"})
    void unsafePathsAreRefused(String path) {
        assertThat(OutputPaths.problem(path)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "dist/app.js", "node_modules/.bin/tsc", "a..b/c..", ".hidden"})
    void ordinaryPathsAreAccepted(String path) {
        assertThat(OutputPaths.problem(path)).isNull();
    }

    @Test
    void symlinksMayPointAnywhereInsideTheTreeButNotOut() {
        assertThat(OutputPaths.symlinkProblem("a/b/link", "../c")).isNull();
        assertThat(OutputPaths.symlinkProblem("a/b/link", "../../c")).isNull();
        assertThat(OutputPaths.symlinkProblem("a/b/link", "../../../c")).contains("outside the output tree");
        assertThat(OutputPaths.symlinkProblem("link", "/etc/passwd")).contains("absolute");
        assertThat(OutputPaths.symlinkProblem("link", "x/../../y")).contains("outside");
    }

    @Test
    void actionKeysMustBeSafeFileNames() {
        assertThat(OutputPaths.actionKeyProblem("web-app_1.2")).isNull();
        assertThat(OutputPaths.actionKeyProblem("../x")).isNotNull();
        assertThat(OutputPaths.actionKeyProblem("a/b")).contains("'/'");
        assertThat(OutputPaths.actionKeyProblem(".hidden")).isNotNull();
    }

    @Test
    void manifestRefusesDuplicatePathsAndChunksThatDoNotAddUp() {
        Digest d = ManifestFixtures.digestOf("x");
        assertThatThrownBy(() -> new ActionResult("k", "blake3",
                List.of(new OutputFile("a", d, false)), List.of(new OutputDirectory("a")), List.of(), null, null, null))
                .hasMessageContaining("'a' more than once");
        assertThatThrownBy(() -> new OutputFile("a", d, false, List.of(ManifestFixtures.digestOf("xy"))))
                .hasMessageContaining("adding up to 2 bytes but a size of 1");
    }
}
