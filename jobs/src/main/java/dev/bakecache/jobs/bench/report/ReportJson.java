package dev.bakecache.jobs.bench.report;

import dev.bakecache.engine.bench.BenchReport;
import dev.bakecache.engine.bench.ScenarioResult;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * report.json, and the scenario results a restarted bench keeps between runs. Keys are the record
 * components' names, in declaration order; changing one means raising {@link BenchReport#SCHEMA}.
 */
public final class ReportJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ReportJson() {
    }

    public static String write(BenchReport report) {
        return MAPPER.writeValueAsString(report);
    }

    public static String write(ScenarioResult result) {
        return MAPPER.writeValueAsString(result);
    }

    public static ScenarioResult readScenario(String json) {
        return MAPPER.readValue(json, ScenarioResult.class);
    }

    public static BenchReport readReport(String json) {
        return MAPPER.readValue(json, BenchReport.class);
    }
}
