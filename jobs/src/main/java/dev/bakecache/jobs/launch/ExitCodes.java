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
    /** The job completed but rejected some of its inputs, listed with reasons in its summary; the rest were done. */
    public static final int REJECTED = 5;

    /** The exit status of a completed job that rejected inputs; the CLI maps it to {@link #REJECTED}. */
    public static final String REJECTED_EXIT_STATUS = "COMPLETED_WITH_REJECTIONS";

    /** verify completed and found corruption: corrupt blobs or broken manifests, each reported. */
    public static final int CORRUPTION_FOUND = 6;

    /** The exit status of a completed job that found corruption; the CLI maps it to {@link #CORRUPTION_FOUND}. */
    public static final String CORRUPTION_FOUND_EXIT_STATUS = "CORRUPTION_FOUND";

    /**
     * restore found no manifest for the key on any tier it may read: a cache miss, not a failure.
     * Nothing was written and no run is left to resume; a build script rebuilds and ingests.
     */
    public static final int CACHE_MISS = 7;

    /** The exit status of a restore that found no manifest; the CLI maps it to {@link #CACHE_MISS}. */
    public static final String CACHE_MISS_EXIT_STATUS = "CACHE_MISS";

    private ExitCodes() {
    }

    /** The exit code of a COMPLETED job: its exit status may tell that it found problems. */
    public static int ofCompleted(String exitStatus) {
        return switch (exitStatus) {
            case REJECTED_EXIT_STATUS -> REJECTED;
            case CORRUPTION_FOUND_EXIT_STATUS -> CORRUPTION_FOUND;
            case CACHE_MISS_EXIT_STATUS -> CACHE_MISS;
            default -> COMPLETED;
        };
    }
}
