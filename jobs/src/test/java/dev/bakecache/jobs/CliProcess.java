package dev.bakecache.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The CLI in a child JVM, for tests that kill it mid-run (an in-process run cannot be killed -9)
 * or run it in another working directory (an in-process run shares the test's).
 */
final class CliProcess {

    private CliProcess() {
    }

    /** What a finished run printed, stdout and stderr together, and its exit code. */
    record Finished(int code, String output) {
    }

    /** Starts {@code bake-cache args...} with the test's class path; stdout and stderr go to {@code log}. */
    static Process start(Path log, List<String> args) throws IOException {
        return start(log, args, Map.of());
    }

    /** As {@link #start(Path, List)}, with {@code env} added to the child's environment. */
    static Process start(Path log, List<String> args, Map<String, String> env) throws IOException {
        return start(log, args, env, null);
    }

    /** As {@link #start(Path, List, Map)}, in the working directory {@code workDir} (null: the test's). */
    private static Process start(Path log, List<String> args, Map<String, String> env, Path workDir)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(args))
                .directory(workDir == null ? null : workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    /** The command line of a child JVM that runs {@code bake-cache args...} with the test's class path. */
    static List<String> command(List<String> args) {
        return Stream.concat(Stream.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"),
                BakeCache.class.getName()), args.stream()).toList();
    }

    /** Runs {@code bake-cache args...} in {@code workDir} to its end; what it printed stays in {@code log}. */
    static Finished run(Path workDir, Path log, String... args) throws IOException, InterruptedException {
        return run(workDir, log, Map.of(), List.of(args));
    }

    /**
     * Runs {@code bake-cache args...} to its end, with {@code env} added to its environment. Three
     * minutes is far more than any test's job takes, and less than a job that waited on another
     * job's lock until the job repository's 30 s busy timeout, several times over, would need.
     */
    static Finished run(Path workDir, Path log, Map<String, String> env, List<String> args)
            throws IOException, InterruptedException {
        Process process = start(log, args, env, workDir);
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("bake-cache " + String.join(" ", args) + " did not finish:\n" + Files.readString(log));
        }
        return new Finished(process.exitValue(), Files.readString(log));
    }
}
