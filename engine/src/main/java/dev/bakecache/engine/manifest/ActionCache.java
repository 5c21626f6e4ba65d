package dev.bakecache.engine.manifest;

import java.io.IOException;
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
public final class ActionCache {

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

    public Path pathOf(String actionKey) {
        InvalidManifestException.check(OutputPaths.actionKeyProblem(actionKey));
        return dir.resolve(actionKey + SUFFIX);
    }

    /** Signs (when verification is on) and stores the manifest, replacing any earlier one. */
    public ActionResult put(ActionResult manifest) throws IOException {
        ActionResult stored = signer == null ? manifest.withSignature(null) : signer.sign(manifest);
        Path target = pathOf(manifest.actionKey());
        Files.createDirectories(dir);
        Files.createDirectories(tmpDir);
        Path tmp = Files.createTempFile(tmpDir, "ac-", ".part");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(ManifestJson.toBytes(stored)));
                channel.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return stored;
    }

    /**
     * @return the verified manifest, or empty when there is none for the key
     * @throws InvalidManifestException when the file is malformed, unsafe, unsigned or tampered with
     */
    public Optional<ActionResult> get(String actionKey) throws IOException {
        Path file = pathOf(actionKey);
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        ActionResult manifest = ManifestJson.parse(json, file.toString());
        if (!manifest.actionKey().equals(actionKey)) {
            throw new InvalidManifestException(file + " holds the manifest of '" + manifest.actionKey()
                    + "', not of '" + actionKey + "'");
        }
        return Optional.of(signer == null ? manifest : signer.verify(manifest));
    }

    public boolean contains(String actionKey) {
        return Files.exists(pathOf(actionKey));
    }

    public boolean delete(String actionKey) throws IOException {
        return Files.deleteIfExists(pathOf(actionKey));
    }

    /** Every action key with a manifest, in no particular order. Close the stream when done. */
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
