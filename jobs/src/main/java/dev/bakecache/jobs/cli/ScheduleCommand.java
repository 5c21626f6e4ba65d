package dev.bakecache.jobs.cli;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.ConfigException;
import dev.bakecache.jobs.launch.ExitCodes;
import dev.bakecache.jobs.repository.JobRepositoryLocation;
import dev.bakecache.schedules.CacheScheduler;
import dev.bakecache.schedules.JobSchedule;
import dev.bakecache.schedules.ScheduleStore;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = {"Runs in the foreground and launches jobs on the cron expressions of the config's schedules:"
                + " section (job name to cron, e.g. gc: \"0 0 3 * * ?\" or \"0 3 * * *\"), each as its command"
                + " with no options would: a failed or stopped run is resumed by the next firing. A job never runs"
                + " twice at once; a missed firing runs once, as soon as possible. SIGTERM stops running jobs at a"
                + " safe point, resumable, and exits.",
                "With " + JobRepositoryLocation.URL_ENV + " set, the schedule is kept in that PostgreSQL database"
                        + " and shared by every instance started on it: each firing runs on one of them."})
public final class ScheduleCommand implements Callable<Integer> {

    @Mixin
    CacheOptions cacheOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CacheConfig config;
        List<JobSchedule> schedules;
        JobRepositoryLocation repository;
        try {
            config = cacheOptions.load();
            schedules = JobSchedule.of(config.schedules(), this::whyNotSchedulable);
            repository = JobRepositoryLocation.of(config.local().path(), System.getenv());
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("bake-cache: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        // A warning, not a refusal: a scheduler may well start before the first ingest. Its firings
        // refuse on their own, each with this message.
        cacheOptions.whyNoCache(config).ifPresent(problem -> err.println("bake-cache schedule: warning: " + problem
                + "; until then the jobs that read it exit 2"));
        // Quartz and Hikari log from their first line on, before a job has booted Spring and with it the
        // CLI's level (application.properties: warnings and errors only)
        LoggingSystem.get(ScheduleCommand.class.getClassLoader()).setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.WARN);
        CacheScheduler scheduler = CacheScheduler.start(schedules, scheduleStore(repository),
                new CommandLineJobLauncher(cacheOptions.asArguments(), out, err));
        err.println("bake-cache schedule: " + schedules.stream().map(s -> s.job() + " at '" + s.cron() + "'")
                .collect(Collectors.joining(", ")) + "; schedule "
                + (repository.shared() ? "shared in " + repository.describe() : "in memory") + "; SIGTERM to stop");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                scheduler.close();
            } catch (RuntimeException e) {
                err.println("bake-cache schedule: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "bake-cache-schedule-shutdown"));
        stopped.await();
        return ExitCodes.COMPLETED;
    }

    /**
     * The schedule goes where the job history goes: with a shared job repository, into the same
     * PostgreSQL database, so that the schedulers started on it share one schedule.
     */
    private static ScheduleStore scheduleStore(JobRepositoryLocation repository) {
        return repository.shared()
                ? ScheduleStore.postgres(repository.jdbcUrl(), repository.user(), repository.password())
                : ScheduleStore.inMemory();
    }

    /** Null when {@code job} is a job that runs with no options, else why it cannot be scheduled. */
    private String whyNotSchedulable(String job) {
        CommandLine command = spec.parent().subcommands().get(job);
        if (command == null || !(command.getCommand() instanceof JobCommand)) {
            return "there is no job called '" + job + "'; jobs: " + spec.parent().subcommands().values().stream()
                    .filter(c -> c.getCommand() instanceof JobCommand).map(CommandLine::getCommandName)
                    .collect(Collectors.joining(", "));
        }
        List<String> required = command.getCommandSpec().args().stream().filter(ArgSpec::required)
                .map(arg -> arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel())
                .toList();
        return required.isEmpty() ? null
                : job + " needs " + String.join(", ", required) + " and cannot be scheduled; schedule jobs that run"
                        + " with no options (gc, evict, verify, stats, clean)";
    }
}
