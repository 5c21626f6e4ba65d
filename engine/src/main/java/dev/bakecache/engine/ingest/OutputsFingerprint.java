package dev.bakecache.engine.ingest;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.manifest.OutputDirectory;
import dev.bakecache.engine.manifest.OutputFile;
import dev.bakecache.engine.manifest.OutputSymlink;

import java.nio.charset.StandardCharsets;

/**
 * What a manifest lists and the secret it is signed with, in one BLAKE3 digest: equal
 * fingerprints, equal outputs under the same signature. The stat cache keeps the last one so that
 * an ingest that changed nothing leaves the manifest file alone, and one after the secret was
 * rotated signs it anew (a manifest under the old secret would fail every restore). Every field
 * goes in with its length, so no two different listings run together into the same text; it is
 * hashed straight from the fields rather than from the canonical JSON, which costs several times
 * more and would be thrown away.
 */
final class OutputsFingerprint {

    private OutputsFingerprint() {
    }

    static String of(ActionResult outputs, String signingKeyId) {
        StringBuilder text = new StringBuilder(128 * outputs.outputFiles().size() + 256);
        field(text, signingKeyId);
        field(text, outputs.actionKey());
        field(text, outputs.hashAlgorithm());
        text.append("files ").append(outputs.outputFiles().size()).append('\n');
        for (OutputFile file : outputs.outputFiles()) {
            field(text, file.path());
            digest(text, file.digest());
            text.append(file.executable() ? 'x' : '-').append(file.chunks().size()).append('\n');
            file.chunks().forEach(chunk -> digest(text, chunk));
        }
        text.append("directories ").append(outputs.outputDirectories().size()).append('\n');
        for (OutputDirectory directory : outputs.outputDirectories()) {
            field(text, directory.path());
        }
        text.append("symlinks ").append(outputs.outputSymlinks().size()).append('\n');
        for (OutputSymlink link : outputs.outputSymlinks()) {
            field(text, link.path());
            field(text, link.target());
        }
        return HashAlgorithm.BLAKE3.digest(text.toString().getBytes(StandardCharsets.UTF_8)).hash();
    }

    private static void field(StringBuilder text, String value) {
        text.append(value.length()).append(':').append(value).append('\n');
    }

    private static void digest(StringBuilder text, Digest digest) {
        text.append(digest.hash()).append('/').append(digest.size()).append('\n');
    }
}
