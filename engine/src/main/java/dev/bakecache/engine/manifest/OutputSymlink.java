package dev.bakecache.engine.manifest;

/** A symbolic link of the outputs; its target must resolve inside the output tree. */
public record OutputSymlink(String path, String target) {
    public OutputSymlink {
        InvalidManifestException.check(OutputPaths.problem(path));
        InvalidManifestException.check(OutputPaths.symlinkProblem(path, target));
    }
}
