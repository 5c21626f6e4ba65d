package dev.bakecache.jobs.cli;

import dev.bakecache.schedules.JobLauncher;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Launches a scheduled job as its command line, {@code <job> --config … --cache …} with the
 * scheduler's own options: a firing then checks, locks, resumes and reports exactly as the same
 * command run by hand or by a CronJob (docs/adr/0010), through the same {@code JobRunner}.
 */
final class CommandLineJobLauncher implements JobLauncher {

    private final List<String> cacheArguments;
    private final PrintWriter out;
    private final PrintWriter err;

    /** @param cacheArguments the scheduler's {@code --config} and {@code --cache}, as {@link CacheOptions#asArguments()} */
    CommandLineJobLauncher(List<String> cacheArguments, PrintWriter out, PrintWriter err) {
        this.cacheArguments = List.copyOf(cacheArguments);
        this.out = out;
        this.err = err;
    }

    @Override
    public void launch(String job, Instant scheduledFor) {
        List<String> command = new ArrayList<>(List.of(job));
        command.addAll(cacheArguments);
        int exitCode = BakeCacheCommand.execute(out, err, command.toArray(String[]::new));
        err.println("bake-cache schedule: " + job + " firing of " + scheduledFor + " exited " + exitCode);
    }
}
