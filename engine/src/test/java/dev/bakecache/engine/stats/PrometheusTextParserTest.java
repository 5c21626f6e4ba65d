package dev.bakecache.engine.stats;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test parser must reject what Prometheus rejects, or the exposition tests prove nothing. */
class PrometheusTextParserTest {

    private static final String HISTOGRAM = """
            # HELP d_seconds how long
            # TYPE d_seconds histogram
            d_seconds_bucket{op="a",le="0.1"} 1
            d_seconds_bucket{op="a",le="1"} 3
            d_seconds_bucket{op="a",le="+Inf"} 4
            d_seconds_sum{op="a"} 7.5
            d_seconds_count{op="a"} 4
            """;

    @Test
    void acceptsAWellFormedExposition() {
        Map<String, PrometheusTextParser.Family> families = PrometheusTextParser.parse("""
                # HELP hits_total cache hits, with a \\\\ and a \\n in the help
                # TYPE hits_total counter
                hits_total 3 1700000000000
                # a free comment
                # TYPE size gauge
                size{kind="blob",path="a \\"quoted\\" \\\\ value"} 1.5e3
                size{kind="chunk"} NaN
                """ + HISTOGRAM);
        assertThat(families).containsOnlyKeys("hits_total", "size", "d_seconds");
        assertThat(families.get("size").samples().getFirst().labels()).containsEntry("path", "a \"quoted\" \\ value");
        assertThat(families.get("d_seconds").type()).isEqualTo("histogram");
    }

    @Test
    void rejectsBrokenHistograms() {
        assertThatThrownBy(() -> PrometheusTextParser.parse(HISTOGRAM.replace("} 3", "} 0")))
                .hasMessageContaining("count decreases");
        assertThatThrownBy(() -> PrometheusTextParser.parse(HISTOGRAM.replace("d_seconds_count{op=\"a\"} 4", "d_seconds_count{op=\"a\"} 5")))
                .hasMessageContaining("is not _count");
        assertThatThrownBy(() -> PrometheusTextParser.parse(HISTOGRAM.replace("le=\"1\"", "le=\"0.01\"")))
                .hasMessageContaining("does not increase");
        assertThatThrownBy(() -> PrometheusTextParser.parse(HISTOGRAM.replace("d_seconds_bucket{op=\"a\",le=\"+Inf\"} 4\n", "")))
                .hasMessageContaining("+Inf");
    }

    @Test
    void rejectsGrammarAndStructureErrors() {
        assertThatThrownBy(() -> PrometheusTextParser.parse("up 1")).hasMessageContaining("line feed");
        assertThatThrownBy(() -> PrometheusTextParser.parse("1up 1\n")).hasMessageContaining("metric name");
        assertThatThrownBy(() -> PrometheusTextParser.parse("up{a=\"x\\t\"} 1\n")).hasMessageContaining("bad escape");
        assertThatThrownBy(() -> PrometheusTextParser.parse("up{a=\"x\"}  1\n")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> PrometheusTextParser.parse("up one\n")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> PrometheusTextParser.parse("up 1\nup 2\n")).hasMessageContaining("twice");
        assertThatThrownBy(() -> PrometheusTextParser.parse("a 1\nb 1\na{x=\"y\"} 1\n")).hasMessageContaining("not together");
        assertThatThrownBy(() -> PrometheusTextParser.parse("a 1\n# TYPE a gauge\n")).hasMessageContaining("after its samples");
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE a gauge\n# TYPE a counter\n")).hasMessageContaining("second TYPE");
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE a counter\na -1\n")).hasMessageContaining("counter a");
    }
}
