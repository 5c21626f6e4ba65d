package dev.bakecache.engine.manifest;

import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestJsonTest {

    @Test
    void roundTripsEveryField() {
        ActionResult manifest = ManifestFixtures.sample("recipe-1").withSignature("ab12");
        assertThat(ManifestJson.parse(ManifestJson.toBytes(manifest), "test")).isEqualTo(manifest);
    }

    @Test
    void signatureIsTheLastPropertySoTheFileFormAppendsItToTheCanonicalForm() {
        // toBytes relies on this order; a new property sorting after "signature" must change toBytes
        assertThat(Arrays.stream(ActionResult.class.getRecordComponents()).map(RecordComponent::getName).sorted()
                .toList().getLast()).isEqualTo("signature");
        ActionResult signed = ManifestFixtures.sample("k").withSignature("ab12");
        String canonical = new String(ManifestJson.canonicalBytes(signed), StandardCharsets.UTF_8);
        assertThat(new String(ManifestJson.toBytes(signed), StandardCharsets.UTF_8))
                .isEqualTo(canonical.substring(0, canonical.length() - 1) + ",\"signature\":\"ab12\"}\n");
        assertThat(new String(ManifestJson.toBytes(signed.withSignature(null)), StandardCharsets.UTF_8))
                .isEqualTo(canonical + "\n");
    }

    @Test
    void canonicalFormIsCompactSortedCamelCaseAndWithoutSignature() {
        String json = new String(ManifestJson.canonicalBytes(ManifestFixtures.sample("k").withSignature("ab12")),
                StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("signature").doesNotContain(" \n").doesNotContain(": ");
        assertThat(json).startsWith("{\"actionKey\":\"k\",\"createdAt\":\"2026-11-25T10:00:03Z\",\"executionMetadata\"");
        assertThat(json.indexOf("\"bin/run\"")).isLessThan(json.indexOf("\"dist/app.js\""));
    }

    @Test
    void canonicalFormDoesNotDependOnInputOrder() {
        ActionResult sample = ManifestFixtures.sample("k");
        ActionResult reversed = new ActionResult("k", "blake3", sample.outputFiles().reversed(),
                sample.outputDirectories(), sample.outputSymlinks(), sample.executionMetadata(), sample.createdAt(), null);
        assertThat(ManifestJson.canonicalBytes(reversed)).isEqualTo(ManifestJson.canonicalBytes(sample));
    }

    @Test
    void parseRejectsTraversalPathWithTheReason() {
        String json = new String(ManifestJson.toBytes(ManifestFixtures.sample("k")), StandardCharsets.UTF_8)
                .replace("dist/app.js", "../../etc/passwd");
        assertThatThrownBy(() -> ManifestJson.parse(json.getBytes(StandardCharsets.UTF_8), "ac/k.json"))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("ac/k.json").hasMessageContaining("'..'");
    }

    @Test
    void parseRejectsUnknownProperties() {
        String json = new String(ManifestJson.toBytes(ManifestFixtures.sample("k")), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"extra\":1,");
        assertThatThrownBy(() -> ManifestJson.parse(json.getBytes(StandardCharsets.UTF_8), "x"))
                .isInstanceOf(InvalidManifestException.class).hasMessageContaining("extra");
    }

    @Test
    void parseRejectsGarbage() {
        assertThatThrownBy(() -> ManifestJson.parse("{not json".getBytes(), "ac/broken.json"))
                .isInstanceOf(InvalidManifestException.class).hasMessageContaining("ac/broken.json");
    }

    @Test
    void largeManifestsAreStoredAsOneZstdFrameAndSmallOnesAsPlainJson() {
        ActionResult small = ManifestFixtures.sample("small").withSignature("ab12");
        assertThat(ManifestJson.toStoredBytes(small)).isEqualTo(ManifestJson.toBytes(small));

        ActionResult large = manyFiles("large", 2000);
        byte[] stored = ManifestJson.toStoredBytes(large);
        assertThat(ManifestJson.toBytes(large).length).isGreaterThan(ManifestJson.COMPRESS_FROM);
        assertThat(stored.length).isLessThan(ManifestJson.toBytes(large).length / 3);
        assertThat(ManifestJson.parse(stored, "test")).isEqualTo(large);
    }

    @Test
    void aDamagedCompressedManifestIsRejectedNamingItsSource() {
        byte[] stored = ManifestJson.toStoredBytes(manyFiles("large", 2000));
        stored[stored.length / 2] ^= 0x55;
        assertThatThrownBy(() -> ManifestJson.parse(stored, "ac/large.json"))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageStartingWith("ac/large.json: not a valid manifest");
    }

    private static ActionResult manyFiles(String key, int files) {
        java.util.List<OutputFile> outputs = new java.util.ArrayList<>();
        for (int i = 0; i < files; i++) {
            outputs.add(new OutputFile("node_modules/pkg-" + i / 8 + "/lib/m" + i + ".js",
                    ManifestFixtures.digestOf("file " + i), false));
        }
        ActionResult sample = ManifestFixtures.sample(key);
        return new ActionResult(key, "blake3", outputs, java.util.List.of(), java.util.List.of(),
                sample.executionMetadata(), sample.createdAt(), "ab12");
    }
}
