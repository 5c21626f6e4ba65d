package dev.bakecache.engine.manifest;

import dev.bakecache.engine.hash.Digest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The manifest of one action (recipe): which files, directories and symlinks its outputs
 * consist of, by digest. Lists are kept sorted by path so that equal outputs always produce
 * equal canonical JSON and so equal signatures. {@code signature} is the HMAC over the
 * canonical form of everything else, null while unsigned.
 */
public record ActionResult(
        String actionKey,
        String hashAlgorithm,
        List<OutputFile> outputFiles,
        List<OutputDirectory> outputDirectories,
        List<OutputSymlink> outputSymlinks,
        ExecutionMetadata executionMetadata,
        Instant createdAt,
        String signature) {

    public ActionResult {
        InvalidManifestException.check(OutputPaths.actionKeyProblem(actionKey));
        if (hashAlgorithm == null || hashAlgorithm.isEmpty()) {
            throw new InvalidManifestException("manifest '" + actionKey + "' names no hash algorithm");
        }
        outputFiles = sorted(outputFiles, OutputFile::path);
        outputDirectories = sorted(outputDirectories, OutputDirectory::path);
        outputSymlinks = sorted(outputSymlinks, OutputSymlink::path);
        rejectDuplicatePaths(actionKey, outputFiles, outputDirectories, outputSymlinks);
    }

    private static <T> List<T> sorted(List<T> items, java.util.function.Function<T, String> path) {
        if (items == null) {
            return List.of();
        }
        List<T> copy = new ArrayList<>(items);
        copy.sort(Comparator.comparing(path));
        return List.copyOf(copy);
    }

    private static void rejectDuplicatePaths(String key, List<OutputFile> files, List<OutputDirectory> dirs,
                                             List<OutputSymlink> links) {
        Set<String> seen = new HashSet<>();
        List<String> all = new ArrayList<>();
        files.forEach(f -> all.add(f.path()));
        dirs.forEach(d -> all.add(d.path()));
        links.forEach(l -> all.add(l.path()));
        for (String path : all) {
            if (!seen.add(path)) {
                throw new InvalidManifestException("manifest '" + key + "' lists path '" + path + "' more than once");
            }
        }
    }

    public ActionResult withSignature(String newSignature) {
        return new ActionResult(actionKey, hashAlgorithm, outputFiles, outputDirectories, outputSymlinks,
                executionMetadata, createdAt, newSignature);
    }

    /** Every blob and chunk digest the manifest needs, whole-file digests of chunked files excluded. */
    public Set<Digest> referencedBlobs() {
        Set<Digest> blobs = new LinkedHashSet<>();
        for (OutputFile file : outputFiles) {
            if (!file.hasChunks()) {
                blobs.add(file.digest());
            }
        }
        return blobs;
    }

    public Set<Digest> referencedChunks() {
        Set<Digest> chunks = new LinkedHashSet<>();
        for (OutputFile file : outputFiles) {
            chunks.addAll(file.chunks());
        }
        return chunks;
    }

    /** Sum of the output files' sizes: what a restore writes. */
    public long totalBytes() {
        return outputFiles.stream().mapToLong(f -> f.digest().size()).sum();
    }
}
