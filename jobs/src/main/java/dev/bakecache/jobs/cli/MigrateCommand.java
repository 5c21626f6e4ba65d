package dev.bakecache.jobs.cli;

import dev.bakecache.engine.config.CacheConfig;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Moves the legacy cache (one <key>.tar.zst archive per recipe) into the CAS: each archive is"
                + " streamed, checked entry by entry and stored under its key with a signed manifest. Archives"
                + " already migrated are skipped; hostile or broken ones are rejected with their reason (exit 5)"
                + " while the others go on.")
public final class MigrateCommand extends JobCommand {

    @Option(names = "--legacy", paramLabel = "DIR", required = true,
            description = "the legacy cache folder holding the <key>.tar.zst archives")
    Path legacy;

    @Option(names = "--delete-after-verify",
            description = "delete each archive once its manifest restores to the same bytes; archives migrated"
                    + " before are read again for the check")
    boolean deleteAfterVerify;

    @Override
    String jobName() {
        return "migrate";
    }

    /** Migrating the legacy cache is how a machine's first CAS cache comes about. */
    @Override
    boolean mayCreateCache(CacheConfig config) {
        return true;
    }

    @Override
    JobParameters parameters() {
        return new JobParametersBuilder()
                .addString("legacy", existingDirectory(legacy, "--legacy"))
                .addString("deleteAfterVerify", String.valueOf(deleteAfterVerify))
                .toJobParameters();
    }
}
