package dev.bakecache.engine;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The engine's layout tells the truth only while its packages depend on each other one way: a
 * cycle makes every package in it a part of every other, so none can be read, tested or moved on
 * its own. And it stays a plain library that the jobs, the scheduler and the benchmarks use, never
 * the other way round.
 */
class EngineArchitectureTest {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.bakecache.engine");

    @Test
    void enginePackagesDependOnEachOtherWithoutACycle() {
        // dev.bakecache.(**): the root package (LocalCache) is a slice of its own, "engine"
        slices().matching("dev.bakecache.(**)").should().beFreeOfCycles().check(ENGINE);
    }

    @Test
    void engineUsesNoSpringAndNoCodeOfTheJobsOrTheScheduler() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "dev.bakecache.jobs..", "dev.bakecache.schedules..")
                .check(ENGINE);
    }
}
