package dev.bakecache.jobs.launch;

/** What the CLI's exit status means; scripts and CronJobs can rely on these. */
public final class ExitCodes {
    /** The job COMPLETED. */
    public static final int COMPLETED = 0;
    /** The job failed or was stopped; running the same command again resumes it. */
    public static final int FAILED = 1;
    /** Bad option, bad configuration, missing secret: nothing was run. */
    public static final int USAGE = 2;
    /** Another process is running the same job on the same cache right now. */
    public static final int BUSY = 3;
    /** The last run is in a state that cannot be resumed (abandoned); see the message. */
    public static final int NOT_RESUMABLE = 4;

    private ExitCodes() {
    }
}
