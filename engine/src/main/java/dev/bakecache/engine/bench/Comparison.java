package dev.bakecache.engine.bench;

/**
 * One measured quantity for the CAS engine next to the same quantity for the reference (the old
 * tar.zst system, or an alternative such as SHA-256 for BLAKE3), with how many times better the
 * CAS side is.
 *
 * @param id             stable key of this comparison within its scenario
 * @param title          what was measured, for people
 * @param unit           what the numbers count
 * @param casLabel       what the CAS side ran
 * @param cas            its measurements
 * @param baselineLabel  what the reference ran, or null when there is nothing comparable
 * @param baseline       its measurements, or null
 * @param ratio          how many times better the CAS side is (baseline/cas for times and bytes,
 *                       cas/baseline for speeds); null without a baseline
 */
public record Comparison(String id, String title, Unit unit, String casLabel, Stats cas, String baselineLabel,
                         Stats baseline, Double ratio) {

    public static Comparison of(String id, String title, Unit unit, String casLabel, Stats cas, String baselineLabel,
                                Stats baseline) {
        double ratio = unit.higherIsBetter() ? cas.median() / baseline.median() : baseline.median() / cas.median();
        return new Comparison(id, title, unit, casLabel, cas, baselineLabel, baseline, ratio);
    }

    /** A CAS measurement the old system has no counterpart for. */
    public static Comparison alone(String id, String title, Unit unit, String casLabel, Stats cas) {
        return new Comparison(id, title, unit, casLabel, cas, null, null, null);
    }
}
