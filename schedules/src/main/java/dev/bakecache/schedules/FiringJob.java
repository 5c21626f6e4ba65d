package dev.bakecache.schedules;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/**
 * One firing of a schedule: runs the job as its CLI command would, so a failed or stopped run is
 * resumed by the next firing and a completed one is followed by a new run.
 *
 * <p>Never two at once for the same job: Quartz holds a job's next firing while one runs (in a
 * cluster, on every instance), and the CLI's run lock also keeps out a manual run with the same
 * options.
 *
 * <p>Public with a public constructor only because Quartz instantiates it by reflection.
 */
@DisallowConcurrentExecution
public final class FiringJob implements Job {

    static final String JOB_NAME = "job";
    static final String LAUNCHER = "bake-cache.launcher";

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        String job = context.getMergedJobDataMap().getString(JOB_NAME);
        try {
            JobLauncher launcher = (JobLauncher) context.getScheduler().getContext().get(LAUNCHER);
            launcher.launch(job, context.getScheduledFireTime().toInstant());
        } catch (SchedulerException e) {
            throw new JobExecutionException("cannot launch " + job + ": " + e.getMessage(), e);
        }
    }
}
