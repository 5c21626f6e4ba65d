package dev.bakecache.jobs.schedule;

import com.zaxxer.hikari.HikariDataSource;
import dev.bakecache.jobs.repository.JobRepositoryLocation;
import dev.bakecache.jobs.repository.PostgresSchema;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Quartz scheduler behind {@code bake-cache schedule}. Without a shared job repository it keeps
 * the schedule in memory (one machine, nothing to set up). With the PostgreSQL job repository it
 * uses Quartz's clustered JDBC store in the same database: every instance holds the schedule,
 * and each firing is taken by exactly one of them.
 *
 * <p>Misfires: a firing missed because the job was still running or no instance was up is made
 * up once, as soon as possible, and missed firings are never queued ({@code FIRE_ONCE_NOW}). A
 * nightly gc missed while the machine was down then runs at start instead of a day late, and a
 * job slower than its period runs back to back rather than piling up.
 */
public final class CacheScheduler implements AutoCloseable {

    static final String GROUP = "bake-cache";
    private static final String NAME = "bake-cache";
    private static final String QUARTZ_SCHEMA = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";

    private final Scheduler scheduler;
    private final HikariDataSource dataSource;

    private CacheScheduler(Scheduler scheduler, HikariDataSource dataSource) {
        this.scheduler = scheduler;
        this.dataSource = dataSource;
    }

    /** Starts firing {@code schedules}; each firing calls {@code launcher}. */
    public static CacheScheduler start(List<JobSchedule> schedules, JobRepositoryLocation repository,
                                       JobLauncher launcher) throws SchedulerException {
        // Quartz and Hikari log from their first line on, before a job has booted Spring and with it the
        // CLI's level (application.properties: warnings and errors only)
        LoggingSystem.get(CacheScheduler.class.getClassLoader()).setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.WARN);
        Properties quartz = new Properties();
        quartz.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, NAME);
        // one thread per job: @DisallowConcurrentExecution keeps each job to one at a time
        quartz.setProperty("org.quartz.threadPool.threadCount", Integer.toString(schedules.size()));
        HikariDataSource dataSource = null;
        if (repository.shared()) {
            dataSource = quartzDataSource(repository);
            quartz.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, StdSchedulerFactory.AUTO_GENERATE_INSTANCE_ID);
            quartz.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.impl.jdbcjobstore.JobStoreTX");
            quartz.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
            quartz.setProperty("org.quartz.jobStore.dataSource", NAME);
            quartz.setProperty("org.quartz.jobStore.isClustered", "true");
            quartz.setProperty("org.quartz.jobStore.useProperties", "true");
        } else {
            quartz.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
        }
        try {
            Scheduler scheduler = new StdSchedulerFactory(quartz).getScheduler();
            scheduler.getContext().put(FiringJob.LAUNCHER, launcher);
            replaceSchedules(scheduler, schedules);
            scheduler.start();
            return new CacheScheduler(scheduler, dataSource);
        } catch (SchedulerException | RuntimeException e) {
            if (dataSource != null) {
                dataSource.close();
            }
            throw e;
        }
    }

    /**
     * Ours replace what the store holds, so a schedule removed or changed in the config is so
     * everywhere. An unchanged trigger is left alone: replacing it would reset its next firing,
     * and a firing another instance has just run would come round again.
     */
    private static void replaceSchedules(Scheduler scheduler, List<JobSchedule> schedules) throws SchedulerException {
        Set<String> wanted = schedules.stream().map(JobSchedule::job).collect(Collectors.toSet());
        for (JobKey stale : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
            if (!wanted.contains(stale.getName())) {
                scheduler.deleteJob(stale);
            }
        }
        for (JobSchedule schedule : schedules) {
            Trigger existing = scheduler.getTrigger(TriggerKey.triggerKey(schedule.job(), GROUP));
            if (existing instanceof CronTrigger cron && cron.getCronExpression().equals(schedule.cron())) {
                continue;
            }
            JobDetail job = JobBuilder.newJob(FiringJob.class).withIdentity(schedule.job(), GROUP)
                    .usingJobData(FiringJob.JOB_NAME, schedule.job()).build();
            Trigger trigger = TriggerBuilder.newTrigger().withIdentity(schedule.job(), GROUP).forJob(job)
                    .withSchedule(CronScheduleBuilder.cronSchedule(schedule.cron())
                            .withMisfireHandlingInstructionFireAndProceed())
                    .build();
            try {
                scheduler.scheduleJob(job, Set.of(trigger), existing != null);
            } catch (ObjectAlreadyExistsException e) {
                // another instance starting at the same moment added it first: keep that one
            }
        }
    }

    private static HikariDataSource quartzDataSource(JobRepositoryLocation repository) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(repository.jdbcUrl());
        dataSource.setUsername(repository.user());
        dataSource.setPassword(repository.password());
        dataSource.setMaximumPoolSize(4);
        dataSource.setPoolName("bake-schedule");
        PostgresSchema.createIfMissing(dataSource, "QRTZ_LOCKS", QUARTZ_SCHEMA, "Quartz schedule (" + repository.describe() + ")");
        DBConnectionManager.getInstance().addConnectionProvider(NAME, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // closed with the scheduler, below
            }

            @Override
            public void initialize() {
            }
        });
        return dataSource;
    }

    /**
     * Stops firing and waits for running jobs; their own shutdown handling (SIGTERM) or completion
     * ends them, so a running step is stopped at a batch boundary rather than cut off.
     */
    @Override
    public void close() throws SchedulerException {
        try {
            scheduler.shutdown(true);
        } finally {
            if (dataSource != null) {
                dataSource.close();
            }
        }
    }
}
