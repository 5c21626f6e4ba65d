package dev.bakecache.engine.manifest;


import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Manifests on the local tier, one file per action key: {@code ac/<key>.json}. Writes go to
 * {@code tmp/}, are fsynced and renamed into place, so a reader sees the old manifest or the new
 * one, never half of one. With a signer, manifests are signed on write and a manifest that is
 * unsigned or wrongly signed is refused on read.
 */
public final class ActionCache implements ManifestStore {

    private static final String SUFFIX = ".json";

    private final Path dir;
    private final Path tmpDir;
    private final ManifestSigner signer;

    /** @param signer null when verification is disabled */
    public ActionCache(Path dir, Path tmpDir, ManifestSigner signer) {
        this.dir = dir;
        this.tmpDir = tmpDir;
        this.signer = signer;
    }

    /** Names the secret manifests are signed with ({@link ManifestSigner#keyId}); "unsigned" without one. */
    public String signingKeyId() {
        return signer == null ? "unsigned" : signer.keyId();
    }

    public Path pathOf(String actionKey) {
        InvalidManifestException.check(OutputPaths.actionKeyProblem(actionKey));
        return dir.resolve(actionKey + SUFFIX);
    }

    /** Signs (when verification is on) and stores the manifest, replacing any earlier one. */
    public ActionResult put(ActionResult manifest) throws IOException {
        // serialised once: the signature is computed over these bytes and then appended to them
        byte[] canonical = ManifestJson.canonicalBytes(manifest);
        String signature = signer == null ? null : signer.signatureOf(canonical);
        putBytes(manifest.actionKey(), ManifestJson.toStoredBytes(canonical, signature));
        return manifest.withSignature(signature);
    }

    /** Stores bytes as they are, e.g. a manifest copied from another tier after its check. */
    @Override
    public void putBytes(String actionKey, byte[] manifestJson) throws IOException {
        Path target = pathOf(actionKey);
        Files.createDirectories(dir);
        Files.createDirectories(tmpDir);
        Path tmp = Files.createTempFile(tmpDir, "ac-", ".part");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(manifestJson));
                channel.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The stored bytes, unchecked; {@link #get} is the checked read. */
    @Override
    public Optional<byte[]> getBytes(String actionKey) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(pathOf(actionKey)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * @return the verified manifest, or empty when there is none for the key
     * @throws InvalidManifestException when the file is malformed, unsafe, unsigned or tampered with
     */
    public Optional<ActionResult> get(String actionKey) throws IOException {
        Optional<byte[]> json = getBytes(actionKey);
        if (json.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(verify(actionKey, json.get(), pathOf(actionKey).toString()));
    }

    /**
     * Parses and checks manifest bytes from anywhere (this directory or another tier) as
     * {@link #get} does, so a manifest is trusted for its signature, never for where it came from.
     *
     * @param source where the bytes came from, for the error message
     * @throws InvalidManifestException when they are malformed, unsafe, unsigned, tampered with or of another key
     */
    public ActionResult verify(String actionKey, byte[] json, String source) {
        return ManifestSigner.read(signer, actionKey, json, source);
    }

    @Override
    public boolean contains(String actionKey) {
        return Files.exists(pathOf(actionKey));
    }

    @Override
    public boolean delete(String actionKey) throws IOException {
        return Files.deleteIfExists(pathOf(actionKey));
    }

    @Override
    public Stream<String> keys() throws IOException {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        return Files.list(dir)
                .map(p -> p.getFileName().toString())
                .filter(name -> name.endsWith(SUFFIX))
                .map(name -> name.substring(0, name.length() - SUFFIX.length()))
                .filter(key -> OutputPaths.actionKeyProblem(key) == null);
    }
}
