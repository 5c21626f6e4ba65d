package dev.bakecache.jobs.bench.report;

import dev.bakecache.engine.bench.BenchReport;
import dev.bakecache.engine.bench.BenchScale;
import dev.bakecache.engine.bench.BenchWorkspace;
import dev.bakecache.engine.bench.Comparison;
import dev.bakecache.engine.bench.Machine;
import dev.bakecache.engine.bench.Stats;
import dev.bakecache.engine.bench.Unit;
import dev.bakecache.engine.config.ByteSize;

import java.util.Locale;

/** The words and numbers the Markdown and HTML reports share. */
final class ReportText {

    private ReportText() {
    }

    /** "143x faster", "7.9x smaller (saves 87.4 %)", or "" without a baseline. */
    static String verdict(Comparison comparison) {
        if (comparison.ratio() == null) {
            return "";
        }
        double ratio = comparison.ratio();
        String times = ratio >= 10 ? String.format(Locale.ROOT, "%.0fx", ratio) : String.format(Locale.ROOT, "%.2fx", ratio);
        if (comparison.unit() == Unit.BYTES) {
            return times + " smaller (saves " + String.format(Locale.ROOT, "%.1f %%", 100 * (1 - 1 / ratio)) + ")";
        }
        return ratio >= 1 ? times + " faster" : String.format(Locale.ROOT, "%.2fx slower", 1 / ratio);
    }

    /** The median with its spread, e.g. "12.3 ms (spread 4 %, n=5)"; an exact value alone. */
    static String measured(Unit unit, Stats stats) {
        String median = value(unit, stats.median());
        return stats.repetitions() == 1 ? median
                : median + String.format(Locale.ROOT, " (spread %.0f %%, n=%d)", stats.spreadPct(), stats.repetitions());
    }

    /** A value for people: bytes as KiB/MiB/GiB, times and speeds with sensible precision. */
    static String value(Unit unit, double value) {
        return switch (unit) {
            case BYTES -> ByteSize.format((long) value);
            case MILLISECONDS -> value < 10 ? String.format(Locale.ROOT, "%.2f ms", value)
                    : String.format(Locale.ROOT, "%.0f ms", value);
            case MEGABYTES_PER_SECOND -> String.format(Locale.ROOT, "%.0f MB/s", value);
        };
    }

    /** How the numbers were taken, for the head of a report. */
    static String method() {
        return "Medians of the timed runs: at least " + BenchScale.MEDIUM.repetitions() + " (" + BenchScale.SMALL.repetitions()
                + " at scale small), more until " + BenchScale.MEDIUM.timedSeconds() + " s of them or "
                + BenchWorkspace.TIMED_MAX_RUNS + " runs, after warm-up runs (at least one, up to "
                + BenchWorkspace.WARM_UP_MAX_RUNS + " within the scale's warm-up time: " + BenchScale.SMALL.warmUpSeconds()
                + " s small, " + BenchScale.MEDIUM.warmUpSeconds() + " s medium and large); both sides alike";
    }

    /** Where the numbers were measured, in one line, so a reader can tell whether they apply to theirs. */
    static String machine(Machine machine) {
        return machine.cpuModel() + ", " + machine.processors() + " processors, " + machine.os() + ", Java " + machine.java();
    }

    static String date(BenchReport report) {
        return report.finished().toString().substring(0, 16).replace('T', ' ') + " UTC";
    }
}
