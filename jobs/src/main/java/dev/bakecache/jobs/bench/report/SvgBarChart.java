package dev.bakecache.jobs.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart as inline SVG, written by hand so the report needs no script and no
 * network: groups of bars, each group scaled to its own largest value (groups may count different
 * things), each bar labelled with its value.
 */
final class SvgBarChart {

    static final String CAS_COLOR = "#1f7a8c";
    static final String BASELINE_COLOR = "#b0b7bf";

    private static final int WIDTH = 860;
    private static final int LABEL_WIDTH = 250;
    private static final int BAR_AREA = 400;
    private static final int BAR_HEIGHT = 18;
    private static final int TITLE_HEIGHT = 22;
    private static final int GAP = 14;

    record Bar(String label, double value, String text, String color) {
    }

    record Group(String title, List<Bar> bars) {
    }

    private final List<Group> groups = new ArrayList<>();

    SvgBarChart group(String title, List<Bar> bars) {
        groups.add(new Group(title, List.copyOf(bars)));
        return this;
    }

    String render(String ariaLabel) {
        int height = GAP;
        for (Group group : groups) {
            height += TITLE_HEIGHT + group.bars().size() * (BAR_HEIGHT + 4) + GAP;
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" font-family=\"sans-serif\" font-size=\"13\">%n",
                WIDTH, height, WIDTH, height, escape(ariaLabel)));
        int y = GAP;
        for (Group group : groups) {
            svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" font-weight=\"bold\">%s</text>%n",
                    y + 14, escape(group.title())));
            y += TITLE_HEIGHT;
            double max = group.bars().stream().mapToDouble(Bar::value).max().orElse(1);
            for (Bar bar : group.bars()) {
                double width = max <= 0 ? 0 : Math.max(2, bar.value() / max * BAR_AREA);
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                        LABEL_WIDTH - 8, y + 14, escape(bar.label())));
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                        LABEL_WIDTH, y, width, BAR_HEIGHT, bar.color()));
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n",
                        LABEL_WIDTH + width + 6, y + 14, escape(bar.text())));
                y += BAR_HEIGHT + 4;
            }
            y += GAP;
        }
        return svg.append("</svg>\n").toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
