package dev.bakecache.engine.manifest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestSignerTest {

    private final ManifestSigner signer = new ManifestSigner(ManifestFixtures.SECRET);

    @Test
    void signedManifestVerifies() {
        ActionResult signed = signer.sign(ManifestFixtures.sample("k"));
        assertThat(signed.signature()).hasSize(64);
        assertThat(signer.verify(signed)).isEqualTo(signed);
    }

    @Test
    void tamperedManifestIsRejected() {
        ActionResult signed = signer.sign(ManifestFixtures.sample("k"));
        ActionResult tampered = new ActionResult("k", signed.hashAlgorithm(), signed.outputFiles().subList(0, 1),
                signed.outputDirectories(), signed.outputSymlinks(), signed.executionMetadata(), signed.createdAt(),
                signed.signature());
        assertThatThrownBy(() -> signer.verify(tampered)).isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("wrong signature");
    }

    @Test
    void unsignedAndMalformedSignaturesAreRejected() {
        assertThatThrownBy(() -> signer.verify(ManifestFixtures.sample("k"))).hasMessageContaining("not signed");
        assertThatThrownBy(() -> signer.verify(ManifestFixtures.sample("k").withSignature("zz")))
                .hasMessageContaining("malformed signature");
    }

    @Test
    void otherSecretDoesNotVerify() {
        ActionResult signed = signer.sign(ManifestFixtures.sample("k"));
        ManifestSigner other = new ManifestSigner("another-secret-0123456789".getBytes());
        assertThatThrownBy(() -> other.verify(signed)).isInstanceOf(InvalidManifestException.class);
    }

    @Test
    void missingSecretVariableIsAnErrorNamingIt() {
        assertThatThrownBy(() -> ManifestSigner.fromEnvironment("MY_SECRET", Map.of()))
                .isInstanceOf(MissingSecretException.class).hasMessageContaining("MY_SECRET")
                .hasMessageContaining("no default");
        assertThatThrownBy(() -> ManifestSigner.fromEnvironment("MY_SECRET", Map.of("MY_SECRET", "")))
                .isInstanceOf(MissingSecretException.class);
        assertThatThrownBy(() -> new ManifestSigner("short".getBytes())).hasMessageContaining("at least 16");
    }

    @Test
    void readAcceptsTheFileFormThatPutWritesAndTheSameManifestFormattedOtherwise() {
        ActionResult signed = signer.sign(ManifestFixtures.sample("k"));
        byte[] written = ManifestJson.toStoredBytes(signed);
        assertThat(ManifestSigner.read(signer, "k", written, "ac/k.json")).isEqualTo(signed);

        String spaced = new String(ManifestJson.toBytes(signed), StandardCharsets.UTF_8).replaceFirst("\\{", "{ ");
        assertThat(ManifestSigner.read(signer, "k", spaced.getBytes(StandardCharsets.UTF_8), "ac/k.json"))
                .isEqualTo(signed);
    }

    @Test
    void readRejectsAFileWhoseListingWasAlteredBeforeAnIntactSignature() {
        ActionResult signed = signer.sign(ManifestFixtures.sample("k"));
        String json = new String(ManifestJson.toBytes(signed), StandardCharsets.UTF_8);
        String renamed = json.replace("dist/app.js", "dist/app.jz");
        assertThat(renamed).isNotEqualTo(json).endsWith(",\"signature\":\"" + signed.signature() + "\"}\n");

        assertThatThrownBy(() -> ManifestSigner.read(signer, "k", renamed.getBytes(StandardCharsets.UTF_8), "ac/k.json"))
                .isInstanceOf(InvalidManifestException.class).hasMessageContaining("wrong signature");
    }

    @Test
    void readRejectsUnsignedForeignKeyAndOtherSecret() {
        byte[] unsigned = ManifestJson.toBytes(ManifestFixtures.sample("k"));
        assertThatThrownBy(() -> ManifestSigner.read(signer, "k", unsigned, "x")).hasMessageContaining("not signed");
        byte[] signed = ManifestJson.toBytes(signer.sign(ManifestFixtures.sample("k")));
        assertThatThrownBy(() -> ManifestSigner.read(signer, "other", signed, "x"))
                .hasMessageContaining("holds the manifest of 'k'");
        ManifestSigner other = new ManifestSigner("another-secret-0123456789".getBytes());
        assertThatThrownBy(() -> ManifestSigner.read(other, "k", signed, "x")).hasMessageContaining("wrong signature");
        assertThat(ManifestSigner.read(null, "k", unsigned, "x")).as("verification off").isNotNull();
    }
}
