package dev.bakecache.engine.manifest;

import org.junit.jupiter.api.Test;

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
}
