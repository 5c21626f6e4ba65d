package dev.bakecache.schedules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One entry of the config's {@code schedules:} section, checked: the job exists and can run
 * without arguments, and the cron expression is one Quartz can fire.
 *
 * @param job the CLI's job name, e.g. {@code gc}
 * @param cron the Quartz cron expression
 */
public record JobSchedule(String job, String cron) {

    /**
     * @param whyNotSchedulable for a job name, null when it can be scheduled, else the reason
     *                          (unknown job, needs arguments)
     * @throws IllegalArgumentException listing every bad entry by its key {@code schedules.<job>}
     */
    public static List<JobSchedule> of(Map<String, String> schedules, Function<String, String> whyNotSchedulable) {
        List<JobSchedule> checked = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        schedules.forEach((job, cron) -> {
            String key = "schedules." + job;
            String why = whyNotSchedulable.apply(job);
            if (why != null) {
                problems.add(key + ": " + why);
                return;
            }
            try {
                checked.add(new JobSchedule(job, QuartzCron.of(key, cron)));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        if (checked.isEmpty()) {
            throw new IllegalArgumentException("schedules: nothing to schedule; add e.g. 'schedules: {gc: \"0 0 3 * * ?\"}'"
                    + " to the configuration");
        }
        return List.copyOf(checked);
    }
}
