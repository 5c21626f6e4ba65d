package dev.bakecache.jobs.stats;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.stats.PrometheusExposition;
import dev.bakecache.engine.stats.StatsFormat;
import dev.bakecache.engine.stats.StatsReport;
import dev.bakecache.jobs.launch.JobSummary;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Gathers the statistics and renders them. The rendered report is the job's summary, so the CLI
 * prints it on stdout like every job's last line, several lines long here; with a textfile path
 * the exposition goes to that file instead and the summary says where.
 *
 * <p>The cache is opened without manifest verification: stats only adds up manifest sizes, and
 * should run (from a metrics CronJob, say) without the signing secret.
 *
 * <p>Not final: step scope proxies it.
 */
class StatsTasklet implements Tasklet {

    private final StatsFormat format;
    private final Path textfile;
    private final CacheConfig config;
    private final CacheMetrics metrics;

    StatsTasklet(StatsFormat format, Path textfile, CacheConfig config, CacheMetrics metrics) {
        this.format = format;
        this.textfile = textfile;
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        StatsReport report;
        try (LocalCache cache = LocalCache.open(config.withoutManifestVerification(), Map.of())) {
            report = StatsReport.of(cache, metrics.snapshot());
        }
        String rendered = format.render(report);
        if (textfile == null) {
            JobSummary.record(chunkContext, rendered);
        } else {
            PrometheusExposition.writeTextfile(rendered, textfile);
            JobSummary.record(chunkContext, "wrote " + format.id() + " statistics of " + report.root() + " to " + textfile);
        }
        return RepeatStatus.FINISHED;
    }
}
