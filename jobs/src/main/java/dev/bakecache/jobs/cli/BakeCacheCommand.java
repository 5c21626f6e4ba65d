package dev.bakecache.jobs.cli;

import dev.bakecache.jobs.launch.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code bake-cache <job> [options]}: the command line. Options are parsed and the cache
 * configuration validated before Spring starts, so a typo costs no start-up and names the
 * option or config key at fault.
 *
 * <p>It lives with its subcommands rather than in the main class: the scheduler's firings and the
 * AOT training run go through {@link #execute} too, and a command reaching up to the main class
 * would tie the CLI package and the one above it in a cycle.
 */
@Command(name = "bake-cache", mixinStandardHelpOptions = true, version = "bake-cache 0.1.0",
        description = "Maintains a content-addressable build cache. Every job exits 0 only when it completed;"
                + " running a failed or killed job again with the same options resumes it, and only it.",
        subcommands = {IngestCommand.class, RestoreCommand.class, MigrateCommand.class, VerifyCommand.class,
                StatsCommand.class, CleanCommand.class, EvictCommand.class, GcCommand.class,
                ScheduleCommand.class, BenchCommand.class, ReplicateCommand.class, DigestCommand.class,
                AotTrainingCommand.class},
        footer = {"", "Exit codes:",
                "  0  completed",
                "  1  failed or stopped; run the same command again to resume",
                "  2  bad usage, configuration or missing secret, an empty path, a --cache that holds no cache; nothing ran",
                "  3  the same job is running elsewhere on this cache",
                "  4  the last run cannot be resumed",
                "  5  completed, but some inputs were rejected (the summary lists them)",
                "  6  verify completed and found corruption (the summary lists each finding)",
                "  7  restore: a cache miss, no manifest for the key; nothing was written, nothing to resume"})
public final class BakeCacheCommand implements Runnable {

    /** Runs one command line; {@code out} gets the summary line, {@code err} errors and progress. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new BakeCacheCommand()).setOut(out).setErr(err)
                .registerConverter(Path.class, new NonBlankPathConverter());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("bake-cache: " + e.getMessage());
            return ExitCodes.FAILED;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "name a job to run");
    }
}
