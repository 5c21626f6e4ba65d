package dev.bakecache.engine.ingest;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.manifest.OutputDirectory;
import dev.bakecache.engine.manifest.OutputFile;
import dev.bakecache.engine.manifest.OutputSymlink;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class OutputsFingerprintTest {

    private static final Digest A = new Digest("a".repeat(64), 10);
    private static final Digest B = new Digest("b".repeat(64), 10);
    private static final Digest HALF_A = new Digest("c".repeat(64), 5);
    private static final Digest HALF_B = new Digest("d".repeat(64), 5);
    private static final String KEY = "0123456789abcdef";

    private static ActionResult outputs(List<OutputFile> files, List<String> dirs, List<OutputSymlink> links) {
        return new ActionResult("key", "blake3", files, dirs.stream().map(OutputDirectory::new).toList(), links,
                null, null, null);
    }

    @Test
    void equalOutputsHaveEqualFingerprintsAndEveryDifferenceChangesIt() {
        ActionResult base = outputs(List.of(new OutputFile("bin/x", A, false, List.of())), List.of("bin"),
                List.of(new OutputSymlink("bin/y", "x")));
        List<ActionResult> variants = List.of(
                outputs(List.of(new OutputFile("bin/z", A, false, List.of())), List.of("bin"), base.outputSymlinks()),
                outputs(List.of(new OutputFile("bin/x", B, false, List.of())), List.of("bin"), base.outputSymlinks()),
                outputs(List.of(new OutputFile("bin/x", A, true, List.of())), List.of("bin"), base.outputSymlinks()),
                outputs(List.of(new OutputFile("bin/x", A, false, List.of(HALF_A, HALF_B))), List.of("bin"), base.outputSymlinks()),
                outputs(base.outputFiles(), List.of("bin", "lib"), base.outputSymlinks()),
                outputs(base.outputFiles(), List.of("bin"), List.of(new OutputSymlink("bin/y", "z"))),
                outputs(base.outputFiles(), List.of("bin"), List.of()));

        String fingerprint = OutputsFingerprint.of(base, KEY);

        assertThat(OutputsFingerprint.of(outputs(base.outputFiles(), List.of("bin"), base.outputSymlinks()), KEY))
                .isEqualTo(fingerprint);
        Set<String> all = Stream.concat(Stream.of(fingerprint), variants.stream().map(v -> OutputsFingerprint.of(v, KEY)))
                .collect(Collectors.toSet());
        assertThat(all).hasSize(variants.size() + 1);
    }

    @Test
    void anotherSigningSecretChangesIt() {
        ActionResult outputs = outputs(List.of(new OutputFile("x", A, false, List.of())), List.of(), List.of());
        assertThat(OutputsFingerprint.of(outputs, "fedcba9876543210")).isNotEqualTo(OutputsFingerprint.of(outputs, KEY));
    }

    @Test
    void namesThatRunTogetherDoNotCollide() {
        ActionResult two = outputs(List.of(), List.of(), List.of(new OutputSymlink("a", "b\nc"), new OutputSymlink("d", "e")));
        ActionResult other = outputs(List.of(), List.of(), List.of(new OutputSymlink("a", "b"), new OutputSymlink("c\nd", "e")));
        assertThat(OutputsFingerprint.of(two, KEY)).isNotEqualTo(OutputsFingerprint.of(other, KEY));
    }
}
