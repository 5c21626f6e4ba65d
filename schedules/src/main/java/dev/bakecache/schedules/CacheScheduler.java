package dev.bakecache.schedules;

import com.zaxxer.hikari.HikariDataSource;
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

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Quartz scheduler behind {@code bake-cache schedule}. With {@link ScheduleStore#inMemory()} it
 * keeps the schedule in memory (one machine, nothing to set up). With a PostgreSQL store (the CLI
 * passes the shared job repository's database) it uses Quartz's clustered JDBC store there: every
 * instance holds the schedule, and each firing is taken by exactly one of them.
 *
 * <p>Misfires: a firing missed because the job was still running or no instance was up is made
 * up once, as soon as possible, and missed firings are never queued ({@code FIRE_ONCE_NOW}). A
 * nightly gc missed while the machine was down then runs at start instead of a day late, and a
 * job slower than its period runs back to back rather than piling up.
 */
public final class CacheScheduler implements AutoCloseable {

    static final String GROUP = "bake-cache";
    private static final String NAME = "bake-cache";

    private final Scheduler scheduler;
    private final HikariDataSource dataSource;

    private CacheScheduler(Scheduler scheduler, HikariDataSource dataSource) {
        this.scheduler = scheduler;
        this.dataSource = dataSource;
    }

    /**
     * Starts firing {@code schedules}; each firing calls {@code launcher}.
     *
     * @throws IllegalStateException when Quartz cannot start, e.g. the store's database refuses
     */
    public static CacheScheduler start(List<JobSchedule> schedules, ScheduleStore store, JobLauncher launcher) {
        Properties quartz = new Properties();
        quartz.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, NAME);
        // one thread per job: @DisallowConcurrentExecution keeps each job to one at a time
        quartz.setProperty("org.quartz.threadPool.threadCount", Integer.toString(schedules.size()));
        HikariDataSource dataSource = null;
        try {
            if (store.shared()) {
                dataSource = quartzDataSource(store);
                quartz.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, StdSchedulerFactory.AUTO_GENERATE_INSTANCE_ID);
                quartz.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.impl.jdbcjobstore.JobStoreTX");
                quartz.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
                quartz.setProperty("org.quartz.jobStore.dataSource", NAME);
                quartz.setProperty("org.quartz.jobStore.isClustered", "true");
                quartz.setProperty("org.quartz.jobStore.useProperties", "true");
            } else {
                quartz.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
            }
            Scheduler scheduler = new StdSchedulerFactory(quartz).getScheduler();
            scheduler.getContext().put(FiringJob.LAUNCHER, launcher);
            replaceSchedules(scheduler, schedules);
            scheduler.start();
            return new CacheScheduler(scheduler, dataSource);
        } catch (SchedulerException | RuntimeException e) {
            if (dataSource != null) {
                dataSource.close();
            }
            // unchecked and free of Quartz types: a caller can only report it, and compiles without Quartz
            throw e instanceof RuntimeException unchecked ? unchecked : new IllegalStateException(e.getMessage(), e);
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

    private static HikariDataSource quartzDataSource(ScheduleStore store) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(store.jdbcUrl());
        dataSource.setUsername(store.user());
        dataSource.setPassword(store.password());
        dataSource.setMaximumPoolSize(4);
        dataSource.setPoolName("bake-schedule");
        try {
            QuartzTables.createIfMissing(dataSource, store.describe());
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
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
     *
     * @throws IllegalStateException when Quartz fails to shut down; the store's connections are closed all the same
     */
    @Override
    public void close() {
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            if (dataSource != null) {
                dataSource.close();
            }
        }
    }
}
