package dev.bakecache.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The CLI in a child JVM, for tests that kill it mid-run: an in-process run cannot be killed -9. */
final class CliProcess {

    private CliProcess() {
    }

    /** Starts {@code bake-cache args...} with the test's class path; stdout and stderr go to {@code log}. */
    static Process start(Path log, List<String> args) throws IOException {
        return start(log, args, Map.of());
    }

    /** As {@link #start(Path, List)}, with {@code env} added to the child's environment. */
    static Process start(Path log, List<String> args, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                        "-cp", System.getProperty("java.class.path"),
                        BakeCache.class.getName()), args.stream()).toList())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }
}
