package dev.bakecache.schedules;

import java.time.Instant;

/**
 * Runs one job the way its CLI command does; the scheduler calls it once per firing. The scheduler
 * knows jobs only by name: the CLI, in the jobs module, implements this, so that module depends on
 * this one and not the other way round.
 */
@FunctionalInterface
public interface JobLauncher {

    /** @param scheduledFor the firing's scheduled time, for the log; the run itself does not depend on it */
    void launch(String job, Instant scheduledFor);
}
