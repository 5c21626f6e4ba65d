package dev.bakecache.engine.migrate;

import dev.bakecache.engine.files.FileTrees;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.ingest.OutputTree;
import dev.bakecache.engine.ingest.OutputTreeWalker;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.manifest.InvalidManifestException;
import dev.bakecache.engine.manifest.OutputDirectory;
import dev.bakecache.engine.manifest.OutputFile;
import dev.bakecache.engine.restore.RestoreException;
import dev.bakecache.engine.restore.Restorer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Proves that a manifest written by a migration brings back what the archive held, before the
 * archive may go: the manifest is read back from the cache (signature checked), restored into a
 * scratch directory under {@code tmp/} by copying, whatever {@code useHardLinks} says, and the
 * restored tree is walked and rehashed and compared with the entries read from the archive. The
 * scratch directory, restore records included, is removed afterwards.
 */
final class RestoreVerifier {

    private final LocalCache cache;

    RestoreVerifier(LocalCache cache) {
        this.cache = cache;
    }

    /** Null when {@code expected} restores to exactly its files, directories and symlinks; otherwise the first difference. */
    String difference(ActionResult expected) throws IOException {
        Path scratch = Files.createTempDirectory(cache.layout().tmpDir(), "migrate-verify-");
        try {
            Optional<ActionResult> stored = cache.actions().get(expected.actionKey());
            if (stored.isEmpty()) {
                return "no manifest for '" + expected.actionKey() + "' in the cache";
            }
            Path target = scratch.resolve("tree");
            Restorer restorer = new Restorer(cache.blobs().files(), cache.chunks().files(), cache.algorithm(), false,
                    cache.config().parallelism().effectiveHashing(), scratch.resolve("records"));
            restorer.restore(stored.get(), target, null);
            return compare(expected, OutputTreeWalker.walk(target));
        } catch (RestoreException | InvalidManifestException e) {
            return e.getMessage();
        } finally {
            FileTrees.deleteTree(scratch);
        }
    }

    private String compare(ActionResult expected, OutputTree restored) throws IOException {
        List<OutputFile> files = new ArrayList<>();
        for (OutputTree.Entry entry : restored.files()) {
            files.add(new OutputFile(entry.path(), cache.algorithm().digest(entry.file()), entry.stamp().executable()));
        }
        ActionResult actual = new ActionResult(expected.actionKey(), expected.hashAlgorithm(), files,
                restored.directories().stream().map(OutputDirectory::new).toList(), restored.symlinks(), null, null, null);
        List<OutputFile> wantedFiles = expected.outputFiles().stream()
                .map(f -> new OutputFile(f.path(), f.digest(), f.executable())).toList();
        if (!actual.outputFiles().equals(wantedFiles)) {
            return "files differ: expected " + differing(wantedFiles, actual.outputFiles()) + ", restored "
                    + differing(actual.outputFiles(), wantedFiles);
        }
        if (!actual.outputDirectories().equals(expected.outputDirectories())) {
            return "directories differ";
        }
        if (!actual.outputSymlinks().equals(expected.outputSymlinks())) {
            return "symlinks differ";
        }
        return null;
    }

    private static <T> List<T> differing(List<T> these, List<T> others) {
        return these.stream().filter(t -> !others.contains(t)).limit(3).toList();
    }

}
