package dev.bakecache.jobs.cli;

import dev.bakecache.engine.config.CacheConfig;
import org.springframework.batch.core.job.parameters.JobParameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.Console;
import java.nio.file.Path;

@Command(name = "clean", mixinStandardHelpOptions = true,
        description = "Empties the local tier: every manifest, blob and chunk, the index, stat records and tmp/."
                + " The job history, metrics and quarantine/ are kept. Asks for confirmation on a terminal;"
                + " elsewhere it needs --yes.")
public final class CleanCommand extends JobCommand {

    @Option(names = "--yes", description = "do not ask; required when stdin is not a terminal")
    boolean yes;

    @Override
    String jobName() {
        return "clean";
    }

    /** Nothing is read from manifests that are about to be deleted. */
    @Override
    boolean needsSecret() {
        return false;
    }

    @Override
    JobParameters parameters() {
        return new JobParameters();
    }

    @Override
    boolean confirmed(CacheConfig config) {
        if (yes) {
            return true;
        }
        Path root = config.local().path();
        Console console = System.console();
        if (console == null || !console.isTerminal()) {
            spec.commandLine().getErr().println("bake-cache: clean deletes everything cached in " + root
                    + "; stdin is not a terminal, so pass --yes to confirm");
            return false;
        }
        String answer = console.readLine("clean deletes every manifest, blob and chunk in %s. Type yes to go on: ", root);
        if (answer == null || !answer.strip().equals("yes")) {
            spec.commandLine().getErr().println("bake-cache: not confirmed; nothing was deleted");
            return false;
        }
        return true;
    }
}
