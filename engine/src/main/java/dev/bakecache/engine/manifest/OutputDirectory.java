package dev.bakecache.engine.manifest;

/** A directory of the outputs, listed so that empty directories are restored too. */
public record OutputDirectory(String path) {
    public OutputDirectory {
        InvalidManifestException.check(OutputPaths.problem(path));
    }
}
