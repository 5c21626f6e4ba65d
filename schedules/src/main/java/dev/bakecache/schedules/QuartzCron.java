package dev.bakecache.schedules;

import org.quartz.CronExpression;

import java.util.Arrays;

/**
 * The config's cron strings as Quartz reads them. {@code schedules:} accepts the Unix form a
 * CronJob uses ({@code "0 3 * * *"}: minute first) as well as Quartz's ({@code "0 0 3 * * ?"}:
 * seconds first, optional year). Quartz also wants {@code ?} in one of day-of-month and
 * day-of-week; a {@code *} there is read as "any", which is what Unix cron means by it.
 */
final class QuartzCron {

    private static final int DAY_OF_MONTH = 3;
    private static final int DAY_OF_WEEK = 5;

    private QuartzCron() {
    }

    /** @throws IllegalArgumentException naming {@code key} when Quartz cannot read the expression */
    static String of(String key, String cron) {
        String[] fields = cron.trim().split("\\s+");
        if (fields.length == 5) {
            if (fields[4].matches(".*\\d.*")) {
                throw new IllegalArgumentException(key + ": '" + cron + "': Unix cron numbers days of the week from 0,"
                        + " Quartz from 1; write the days as names (MON-FRI) or use the 6-field Quartz form");
            }
            String[] withSeconds = new String[6];
            withSeconds[0] = "0";
            System.arraycopy(fields, 0, withSeconds, 1, 5);
            fields = withSeconds;
        }
        if (!fields[DAY_OF_MONTH].equals("?") && !fields[DAY_OF_WEEK].equals("?")) {
            if (fields[DAY_OF_WEEK].equals("*")) {
                fields[DAY_OF_WEEK] = "?";
            } else if (fields[DAY_OF_MONTH].equals("*")) {
                fields[DAY_OF_MONTH] = "?";
            } else {
                throw new IllegalArgumentException(key + ": '" + cron + "' restricts both the day of the month and the"
                        + " day of the week, which Quartz cannot do; put '?' in one of them");
            }
        }
        String quartz = String.join(" ", Arrays.asList(fields));
        try {
            CronExpression.validateExpression(quartz);
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException(key + ": '" + cron + "' is not a valid cron expression: "
                    + e.getMessage() + " (Quartz form: seconds minutes hours day-of-month month day-of-week, e.g."
                    + " '0 0 3 * * ?')");
        }
        return quartz;
    }
}
