package dev.bakecache.engine.manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActionCacheTest {

    @TempDir
    Path root;

    private ActionCache signed() {
        return new ActionCache(root.resolve("ac"), root.resolve("tmp"), new ManifestSigner(ManifestFixtures.SECRET));
    }

    @Test
    void storedManifestReadsBackVerified() throws IOException {
        ActionCache cache = signed();
        ActionResult stored = cache.put(ManifestFixtures.sample("recipe-a"));
        assertThat(root.resolve("ac/recipe-a.json")).exists();
        assertThat(cache.get("recipe-a")).contains(stored);
        assertThat(cache.keys()).containsExactly("recipe-a");
        assertThat(root.resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void missingManifestIsEmpty() throws IOException {
        assertThat(signed().get("nothing")).isEmpty();
    }

    @Test
    void editedManifestFileIsRejected() throws IOException {
        ActionCache cache = signed();
        cache.put(ManifestFixtures.sample("recipe-a"));
        Path file = root.resolve("ac/recipe-a.json");
        String json = Files.readString(file).replace("\"executable\":true", "\"executable\":false");
        Files.writeString(file, json);
        assertThatThrownBy(() -> cache.get("recipe-a")).isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("wrong signature");
    }

    @Test
    void manifestCopiedUnderAnotherKeyIsRejected() throws IOException {
        ActionCache cache = signed();
        cache.put(ManifestFixtures.sample("recipe-a"));
        Files.copy(root.resolve("ac/recipe-a.json"), root.resolve("ac/recipe-b.json"));
        assertThatThrownBy(() -> cache.get("recipe-b")).hasMessageContaining("not of 'recipe-b'");
    }

    @Test
    void unsignedManifestIsRejectedWhenVerificationIsOn() throws IOException {
        new ActionCache(root.resolve("ac"), root.resolve("tmp"), null).put(ManifestFixtures.sample("recipe-a"));
        assertThat(Files.readString(root.resolve("ac/recipe-a.json"), StandardCharsets.UTF_8)).doesNotContain("signature");
        assertThatThrownBy(() -> signed().get("recipe-a")).hasMessageContaining("not signed");
    }

    @Test
    void unsafeKeyIsRefusedBeforeTouchingTheDisk() {
        assertThatThrownBy(() -> signed().get("../../etc/passwd")).isInstanceOf(InvalidManifestException.class);
    }
}
