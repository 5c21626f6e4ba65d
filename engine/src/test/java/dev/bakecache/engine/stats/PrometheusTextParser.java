package dev.bakecache.engine.stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: no Java library
 * we can resolve parses it (the official client only writes it). It checks what Prometheus' own
 * parser and {@code promtool check metrics} check: the line grammar (comments, {@code name{labels}
 * value [timestamp]}), escapes in label values, one HELP and one TYPE per family, TYPE before the
 * family's samples, samples of a family together, sample names that fit the family's type, no
 * series twice, and for histograms an {@code le} label on every bucket, cumulative counts that
 * never decrease, a {@code +Inf} bucket equal to {@code _count}.
 */
final class PrometheusTextParser {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** A metric family: its type, help and samples in file order. */
    record Family(String name, String type, String help, List<Sample> samples) {
    }

    static final class InvalidExposition extends RuntimeException {
        InvalidExposition(int line, String message) {
            super("line " + line + ": " + message);
        }
    }

    private PrometheusTextParser() {
    }

    static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new InvalidExposition(text.split("\n", -1).length, "the exposition must end with a line feed");
        }
        Map<String, String> types = new HashMap<>();
        Map<String, String> helps = new HashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Set<String> closedFamilies = new HashSet<>();
        Set<String> series = new HashSet<>();
        String currentFamily = null;
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher help = HELP.matcher(line);
                Matcher type = TYPE.matcher(line);
                if (line.startsWith("# HELP ")) {
                    if (!help.matches()) {
                        throw new InvalidExposition(number, "malformed HELP line: " + line);
                    }
                    checkHelpEscapes(number, help.group(2));
                    if (helps.put(help.group(1), help.group(2)) != null) {
                        throw new InvalidExposition(number, "second HELP for " + help.group(1));
                    }
                } else if (line.startsWith("# TYPE ")) {
                    if (!type.matches()) {
                        throw new InvalidExposition(number, "malformed TYPE line: " + line);
                    }
                    String family = type.group(1);
                    if (types.put(family, type.group(2)) != null) {
                        throw new InvalidExposition(number, "second TYPE for " + family);
                    }
                    if (samples.containsKey(family)) {
                        throw new InvalidExposition(number, "TYPE for " + family + " after its samples");
                    }
                }
                continue; // other comments are allowed anywhere
            }
            Sample sample = sample(number, line);
            String family = familyOf(sample.name(), types);
            checkNameFitsType(number, sample, family, types.getOrDefault(family, "untyped"));
            if (!family.equals(currentFamily)) {
                if (currentFamily != null) {
                    closedFamilies.add(currentFamily);
                }
                if (closedFamilies.contains(family)) {
                    throw new InvalidExposition(number, "samples of " + family + " are not together");
                }
                currentFamily = family;
            }
            if (!series.add(sample.name() + new TreeMap<>(sample.labels()))) {
                throw new InvalidExposition(number, "series " + sample.name() + sample.labels() + " appears twice");
            }
            samples.computeIfAbsent(family, f -> new ArrayList<>()).add(sample);
        }
        Map<String, Family> families = new LinkedHashMap<>();
        samples.forEach((name, list) -> {
            String type = types.getOrDefault(name, "untyped");
            if ("histogram".equals(type)) {
                checkHistogram(name, list);
            }
            if ("counter".equals(type)) {
                list.forEach(s -> {
                    if (s.value() < 0 || Double.isNaN(s.value())) {
                        throw new InvalidExposition(0, "counter " + s.name() + " has value " + s.value());
                    }
                });
            }
            families.put(name, new Family(name, type, helps.get(name), List.copyOf(list)));
        });
        return families;
    }

    private static void checkHelpEscapes(int number, String help) {
        for (int i = 0; i < help.length(); i++) {
            if (help.charAt(i) == '\\') {
                if (i + 1 >= help.length() || "\\n".indexOf(help.charAt(i + 1)) < 0) {
                    throw new InvalidExposition(number, "bad escape in HELP text: " + help);
                }
                i++;
            }
        }
    }

    /** The family a sample belongs to: itself, or a histogram/summary whose suffixed series it is. */
    private static String familyOf(String name, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
                    return base;
                }
            }
        }
        return name;
    }

    private static void checkNameFitsType(int number, Sample sample, String family, String type) {
        if (!TYPES.contains(type)) {
            throw new InvalidExposition(number, "unknown type " + type);
        }
        if ("histogram".equals(type)) {
            if (sample.name().equals(family)) {
                throw new InvalidExposition(number, "histogram " + family + " has a sample without _bucket/_sum/_count");
            }
            if (sample.name().endsWith("_bucket") != sample.labels().containsKey("le")) {
                throw new InvalidExposition(number, "only the _bucket samples of " + family + " carry le");
            }
        } else if (sample.labels().containsKey("le") && !"untyped".equals(type)) {
            throw new InvalidExposition(number, type + " " + family + " must not use the le label");
        }
    }

    private static Sample sample(int number, String line) {
        int pos = 0;
        Matcher name = NAME.matcher(line);
        if (!name.lookingAt()) {
            throw new InvalidExposition(number, "no metric name at the start of: " + line);
        }
        pos = name.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (pos < line.length() && line.charAt(pos) == '{') {
            pos++;
            while (true) {
                if (line.startsWith("}", pos)) {
                    pos++;
                    break;
                }
                Matcher label = LABEL_NAME.matcher(line).region(pos, line.length());
                if (!label.lookingAt()) {
                    throw new InvalidExposition(number, "bad label name at column " + (pos + 1) + ": " + line);
                }
                String labelName = label.group();
                pos = label.end();
                if (!line.startsWith("=\"", pos)) {
                    throw new InvalidExposition(number, "expected =\" after label " + labelName);
                }
                pos += 2;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (pos >= line.length()) {
                        throw new InvalidExposition(number, "unterminated value of label " + labelName);
                    }
                    char c = line.charAt(pos++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        char escaped = pos < line.length() ? line.charAt(pos++) : 0;
                        switch (escaped) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new InvalidExposition(number, "bad escape in label " + labelName);
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(labelName, value.toString()) != null) {
                    throw new InvalidExposition(number, "label " + labelName + " given twice");
                }
                if (line.startsWith(",", pos)) {
                    pos++;
                } else if (!line.startsWith("}", pos)) {
                    throw new InvalidExposition(number, "expected , or } after label " + labelName);
                }
            }
        }
        if (pos >= line.length() || line.charAt(pos) != ' ') {
            throw new InvalidExposition(number, "expected a space before the value: " + line);
        }
        String[] rest = line.substring(pos + 1).split(" ", -1);
        if (rest.length < 1 || rest.length > 2) {
            throw new InvalidExposition(number, "expected a value and an optional timestamp: " + line);
        }
        double value = value(number, rest[0]);
        if (rest.length == 2 && !rest[1].matches("-?[0-9]+")) {
            throw new InvalidExposition(number, "timestamp is not an integer: " + rest[1]);
        }
        return new Sample(name.group(), labels, value);
    }

    private static double value(int number, String text) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                if (!text.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
                    throw new InvalidExposition(number, "not a number: " + text);
                }
                return Double.parseDouble(text);
        }
    }

    private static void checkHistogram(String name, List<Sample> samples) {
        Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new HashMap<>();
        Set<Map<String, String>> sums = new HashSet<>();
        for (Sample sample : samples) {
            Map<String, String> series = new TreeMap<>(sample.labels());
            series.remove("le");
            if (sample.name().endsWith("_bucket")) {
                buckets.computeIfAbsent(series, s -> new ArrayList<>()).add(sample);
            } else if (sample.name().endsWith("_count")) {
                counts.put(series, sample.value());
            } else {
                sums.add(series);
            }
        }
        buckets.forEach((series, list) -> {
            double lastLe = Double.NEGATIVE_INFINITY;
            double lastCount = 0;
            for (Sample bucket : list) {
                double le = value(0, bucket.labels().get("le"));
                if (!(le > lastLe)) {
                    throw new InvalidExposition(0, name + series + ": bucket le=" + le + " does not increase");
                }
                if (bucket.value() < lastCount) {
                    throw new InvalidExposition(0, name + series + ": bucket le=" + le + " count decreases");
                }
                lastLe = le;
                lastCount = bucket.value();
            }
            if (lastLe != Double.POSITIVE_INFINITY) {
                throw new InvalidExposition(0, name + series + " has no le=\"+Inf\" bucket");
            }
            if (!counts.containsKey(series) || counts.get(series) != lastCount) {
                throw new InvalidExposition(0, name + series + ": +Inf bucket " + lastCount + " is not _count "
                        + counts.get(series));
            }
            if (!sums.contains(series)) {
                throw new InvalidExposition(0, name + series + " has no _sum");
            }
        });
    }
}
