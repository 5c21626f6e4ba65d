package dev.bakecache.jobs;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The jobs module reads top down only while its packages depend on each other one way: the main
 * class on the CLI, the CLI on the runner (launch), the repository and the scheduler, each job on
 * the runner. A command that reached back up to the main class, or the runner to a class in the
 * root package, would make them one tangle again.
 */
class JobsArchitectureTest {

    private static final JavaClasses JOBS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.bakecache.jobs");

    @Test
    void jobsPackagesDependOnEachOtherWithoutACycle() {
        // dev.bakecache.(**): the root package (the main class BakeCache) is a slice of its own, "jobs"
        slices().matching("dev.bakecache.(**)").should().beFreeOfCycles().check(JOBS);
    }
}
