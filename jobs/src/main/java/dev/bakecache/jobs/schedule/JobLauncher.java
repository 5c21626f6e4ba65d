package dev.bakecache.jobs.schedule;

import java.time.Instant;

/** Runs one job the way its CLI command does; the scheduler calls it once per firing. */
@FunctionalInterface
public interface JobLauncher {

    /** @param scheduledFor the firing's scheduled time, for the log; the run itself does not depend on it */
    void launch(String job, Instant scheduledFor);
}
