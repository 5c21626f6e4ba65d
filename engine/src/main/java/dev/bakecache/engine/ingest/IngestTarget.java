package dev.bakecache.engine.ingest;

import dev.bakecache.engine.manifest.OutputPaths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** One output directory and the key it is stored under. */
public record IngestTarget(String key, Path dir) {

    /** Every subdirectory of {@code root}, by name, each under its own name as the key. */
    public static List<IngestTarget> subdirectoriesOf(Path root) throws IOException {
        try (Stream<Path> children = Files.list(root)) {
            List<IngestTarget> targets = children.filter(Files::isDirectory).sorted()
                    .map(dir -> new IngestTarget(dir.getFileName().toString(), dir)).toList();
            for (IngestTarget target : targets) {
                String problem = OutputPaths.actionKeyProblem(target.key());
                if (problem != null) {
                    throw new IllegalArgumentException(target.dir() + ": its name cannot be a key: " + problem);
                }
            }
            return targets;
        }
    }
}
