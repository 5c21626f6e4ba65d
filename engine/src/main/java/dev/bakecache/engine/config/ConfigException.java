package dev.bakecache.engine.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Invalid configuration. Each {@link Problem} names the full dotted key it is about (for example
 * {@code cache.cas.compression.level} or {@code cache.remotes[1].bucket}), so the message reads
 * {@code bake.yaml: cache.cas.compression.level: must be between 1 and 22, got 30}. When several
 * problems are found at once they are all reported, one per line, so a user can fix a file in one
 * go.
 *
 * <p>The config records throw this too when built directly with invalid values; their keys are
 * then relative to the record (for example {@code level}) and there is no source.
 */
public final class ConfigException extends RuntimeException {

    /**
     * One thing wrong with the configuration.
     *
     * @param key the dotted key it is about, or {@code ""} when it is about the file as a whole
     * @param message what is wrong, and where possible what would be right
     */
    public record Problem(String key, String message) {
        public Problem {
            key = key == null ? "" : key;
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return key.isEmpty() ? message : key + ": " + message;
        }
    }

    private final String source;
    private final List<Problem> problems;

    /**
     * @param source the file (or other origin) the configuration came from, or {@code null}
     * @param problems at least one problem
     */
    public ConfigException(String source, List<Problem> problems) {
        super(render(source, problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** A single problem: {@code source: key: message}. */
    public ConfigException(String source, String key, String message) {
        this(source, List.of(new Problem(key, message)));
    }

    /** The file the configuration came from, or {@code null} when built in code. */
    public String source() {
        return source;
    }

    public List<Problem> problems() {
        return problems;
    }

    /** The same problems, with each key placed under {@code prefix} and the given source. */
    ConfigException relocate(String newSource, String prefix) {
        List<Problem> moved = new ArrayList<>(problems.size());
        for (Problem problem : problems) {
            moved.add(new Problem(joinKey(prefix, problem.key()), problem.message()));
        }
        return new ConfigException(newSource, moved);
    }

    /** {@code cache.cas} + {@code level} = {@code cache.cas.level}; an index such as {@code [2]} is appended as is. */
    static String joinKey(String prefix, String key) {
        if (prefix == null || prefix.isEmpty()) {
            return key;
        }
        if (key.isEmpty()) {
            return prefix;
        }
        return key.startsWith("[") ? prefix + key : prefix + "." + key;
    }

    private static String render(String source, List<Problem> problems) {
        String lead = source == null || source.isEmpty() ? "" : source + ": ";
        return problems.stream().map(p -> lead + p).collect(Collectors.joining("\n"));
    }
}
