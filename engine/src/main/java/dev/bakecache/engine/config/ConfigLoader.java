package dev.bakecache.engine.config;

import dev.bakecache.engine.hash.HashAlgorithm;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a {@link CacheConfig} from YAML (the plan's camelCase schema) and checks it.
 *
 * <p>The file's top level may hold {@code cache:} and {@code schedules:}; a missing section, key or
 * file content means the default. Anything wrong fails with a {@link ConfigException} whose message
 * names the source and the full dotted key, and all problems found are reported together:
 * <pre>
 * bake.yaml: cache.cas.compression.level: must be between 1 and 22, got 30
 * bake.yaml: cache.cas.compresion: unknown key (did you mean 'compression'?)
 * </pre>
 * Unknown keys are errors rather than ignored, because a misspelt key silently left at its default
 * is the hardest config mistake to find. A key given with no value ({@code level:}) is an error
 * too; leave it out to get the default. Sizes may be numbers of bytes or {@link ByteSize} text.
 */
public final class ConfigLoader {

    static final List<String> ROOT_KEYS = List.of("cache", "schedules");
    static final List<String> CACHE_KEYS =
            List.of("cas", "local", "remotes", "parallelism", "verification", "strategy", "writeMode");
    static final List<String> CAS_KEYS = List.of("hashAlgorithm", "compression", "chunking");
    static final List<String> COMPRESSION_KEYS = List.of("enabled", "threshold", "level", "detectFormat");
    static final List<String> CHUNKING_KEYS =
            List.of("enabled", "threshold", "algorithm", "minChunk", "avgChunk", "maxChunk");
    static final List<String> LOCAL_KEYS =
            List.of("path", "maxSize", "lowWaterMark", "evictionPolicy", "useHardLinks", "index");
    static final List<String> REMOTE_KEYS = List.of("name", "type", "bucket", "region", "prefix", "project", "endpoint");
    static final List<String> PARALLELISM_KEYS = List.of("upload", "download", "hashing");
    static final List<String> VERIFICATION_KEYS = List.of("enabled", "algorithm", "secretEnv");

    /** Suggest a known key when the unknown one is at most this many edits away. */
    private static final int SUGGESTION_DISTANCE = 2;

    private ConfigLoader() {
    }

    /** The configuration used when there is no config file. */
    public static CacheConfig defaults() {
        return CacheConfig.defaults();
    }

    /**
     * Reads and checks a UTF-8 YAML file; messages name it as given ({@code config/bake.yaml}).
     *
     * @throws ConfigException if it cannot be read, is not YAML, or is not a valid configuration
     */
    public static CacheConfig load(Path yamlFile) {
        String source = yamlFile.toString();
        String text;
        try {
            text = Files.readString(yamlFile);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, "", "config file not found (working directory "
                    + Path.of("").toAbsolutePath() + ")");
        } catch (CharacterCodingException e) {
            throw new ConfigException(source, "", "is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(source, "", "cannot read config file: " + e);
        }
        return parse(text, source);
    }

    /**
     * Reads and checks YAML text.
     *
     * @param sourceName how messages refer to it, usually the file name
     * @throws ConfigException if it is not YAML or not a valid configuration
     */
    public static CacheConfig parse(String yaml, String sourceName) {
        String source = sourceName == null || sourceName.isBlank() ? "config" : sourceName;
        return new Reader(source).read(parseYaml(yaml, source));
    }

    private static Object parseYaml(String yaml, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try {
            return new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
            String what = e.getProblem() == null ? "" : e.getProblem();
            if (e.getContext() != null) {
                what = what.isEmpty() ? e.getContext() : what + " (" + e.getContext() + ")";
            }
            if (e.getContext() != null && e.getContext().contains("alias")) {
                what += "; a value starting with '*' must be quoted, e.g. \"*/5 * * * *\"";
            }
            throw new ConfigException(source, "", where + "malformed YAML: " + what);
        } catch (YAMLException e) {
            throw new ConfigException(source, "", "malformed YAML: " + e.getMessage());
        }
    }

    /** One pass over the parsed YAML, collecting every problem before failing. */
    private static final class Reader {

        private final String source;
        private final List<ConfigException.Problem> problems = new ArrayList<>();

        Reader(String source) {
            this.source = source;
        }

        CacheConfig read(Object root) {
            Map<String, Object> top = section(root, "", ROOT_KEYS);
            Map<String, Object> cache = section(top.get("cache"), "cache", CACHE_KEYS);
            CasConfig cas = cas(cache.get("cas"), "cache.cas");
            LocalConfig local = local(cache.get("local"), "cache.local");
            List<RemoteConfig> remotes = remotes(cache.get("remotes"), "cache.remotes");
            ParallelismConfig parallelism = parallelism(cache.get("parallelism"), "cache.parallelism");
            VerificationConfig verification = verification(cache.get("verification"), "cache.verification");
            CacheStrategy strategy = value(cache, "cache", "strategy", CacheConfig.DEFAULT_STRATEGY,
                    raw -> CacheStrategy.fromId(text(raw)));
            // absent: null, the strategy's default; present without a value: an error like any key's
            WriteMode writeMode = cache.containsKey("writeMode") ? value(cache, "cache", "writeMode",
                    CacheConfig.defaultWriteMode(strategy), raw -> WriteMode.fromId(text(raw))) : null;
            Map<String, String> schedules = schedules(top.get("schedules"), "schedules");
            if (!problems.isEmpty()) {
                // Cross-section checks on stand-in defaults would only add noise.
                throw new ConfigException(source, problems);
            }
            try {
                return new CacheConfig(cas, local, remotes, parallelism, verification, strategy, writeMode, schedules);
            } catch (ConfigException e) {
                throw e.relocate(source, "");
            }
        }

        private CasConfig cas(Object raw, String path) {
            Map<String, Object> map = section(raw, path, CAS_KEYS);
            CasConfig d = CasConfig.defaults();
            HashAlgorithm hash = value(map, path, "hashAlgorithm", d.hashAlgorithm(), v -> HashAlgorithm.fromId(text(v)));
            CompressionConfig compression = compression(map.get("compression"), path + ".compression");
            ChunkingConfig chunking = chunking(map.get("chunking"), path + ".chunking");
            return new CasConfig(hash, compression, chunking);
        }

        private CompressionConfig compression(Object raw, String path) {
            int mark = problems.size();
            Map<String, Object> map = section(raw, path, COMPRESSION_KEYS);
            CompressionConfig d = CompressionConfig.defaults();
            boolean enabled = value(map, path, "enabled", d.enabled(), ConfigLoader::bool);
            long threshold = value(map, path, "threshold", d.threshold(), ConfigLoader::size);
            int level = value(map, path, "level", d.level(), ConfigLoader::wholeInt);
            boolean detectFormat = value(map, path, "detectFormat", d.detectFormat(), ConfigLoader::bool);
            return build(path, mark, d, () -> new CompressionConfig(enabled, threshold, level, detectFormat));
        }

        private ChunkingConfig chunking(Object raw, String path) {
            int mark = problems.size();
            Map<String, Object> map = section(raw, path, CHUNKING_KEYS);
            ChunkingConfig d = ChunkingConfig.defaults();
            boolean enabled = value(map, path, "enabled", d.enabled(), ConfigLoader::bool);
            long threshold = value(map, path, "threshold", d.threshold(), ConfigLoader::size);
            ChunkingAlgorithm algorithm = value(map, path, "algorithm", d.algorithm(),
                    v -> ChunkingAlgorithm.fromId(text(v)));
            int min = value(map, path, "minChunk", d.minChunk(), ConfigLoader::intSize);
            int avg = value(map, path, "avgChunk", d.avgChunk(), ConfigLoader::intSize);
            int max = value(map, path, "maxChunk", d.maxChunk(), ConfigLoader::intSize);
            return build(path, mark, d, () -> new ChunkingConfig(enabled, threshold, algorithm, min, avg, max));
        }

        private LocalConfig local(Object raw, String path) {
            int mark = problems.size();
            Map<String, Object> map = section(raw, path, LOCAL_KEYS);
            LocalConfig d = LocalConfig.defaults();
            Path dir = value(map, path, "path", d.path(), ConfigLoader::path);
            long maxSize = value(map, path, "maxSize", d.maxSize(), ConfigLoader::size);
            double lowWaterMark = value(map, path, "lowWaterMark", d.lowWaterMark(), ConfigLoader::fraction);
            EvictionPolicy policy = value(map, path, "evictionPolicy", d.evictionPolicy(),
                    v -> EvictionPolicy.fromId(text(v)));
            boolean hardLinks = value(map, path, "useHardLinks", d.useHardLinks(), ConfigLoader::bool);
            IndexType index = value(map, path, "index", d.index(), v -> IndexType.fromId(text(v)));
            return build(path, mark, d, () -> new LocalConfig(dir, maxSize, lowWaterMark, policy, hardLinks, index));
        }

        private List<RemoteConfig> remotes(Object raw, String path) {
            if (raw == null) {
                return List.of();
            }
            if (!(raw instanceof List<?> list)) {
                problem(path, "expected a list of remotes (each starting with '- name:'), got " + describe(raw));
                return List.of();
            }
            List<RemoteConfig> remotes = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                RemoteConfig remote = remote(list.get(i), path + "[" + i + "]");
                if (remote != null) {
                    remotes.add(remote);
                }
            }
            return remotes;
        }

        private RemoteConfig remote(Object raw, String path) {
            int mark = problems.size();
            if (!(raw instanceof Map<?, ?>)) {
                problem(path, "expected a remote (name, type, bucket, ...), got " + describe(raw));
                return null;
            }
            Map<String, Object> map = section(raw, path, REMOTE_KEYS);
            String name = value(map, path, "name", null, ConfigLoader::text);
            RemoteType type = value(map, path, "type", null, v -> RemoteType.fromId(text(v)));
            String bucket = value(map, path, "bucket", null, ConfigLoader::text);
            String region = optionalText(map, path, "region");
            String prefix = optionalText(map, path, "prefix");
            String project = optionalText(map, path, "project");
            URI endpoint = map.get("endpoint") == null ? null : value(map, path, "endpoint", null, ConfigLoader::uri);
            return build(path, mark, null,
                    () -> new RemoteConfig(name, type, bucket, region, prefix, project, endpoint));
        }

        private ParallelismConfig parallelism(Object raw, String path) {
            int mark = problems.size();
            Map<String, Object> map = section(raw, path, PARALLELISM_KEYS);
            ParallelismConfig d = ParallelismConfig.defaults();
            int upload = value(map, path, "upload", d.upload(), ConfigLoader::wholeInt);
            int download = value(map, path, "download", d.download(), ConfigLoader::wholeInt);
            int hashing = value(map, path, "hashing", d.hashing(), ConfigLoader::wholeInt);
            return build(path, mark, d, () -> new ParallelismConfig(upload, download, hashing));
        }

        private VerificationConfig verification(Object raw, String path) {
            int mark = problems.size();
            Map<String, Object> map = section(raw, path, VERIFICATION_KEYS);
            VerificationConfig d = VerificationConfig.defaults();
            boolean enabled = value(map, path, "enabled", d.enabled(), ConfigLoader::bool);
            VerificationAlgorithm algorithm = value(map, path, "algorithm", d.algorithm(),
                    v -> VerificationAlgorithm.fromId(text(v)));
            String secretEnv = value(map, path, "secretEnv", d.secretEnv(), ConfigLoader::text);
            return build(path, mark, d, () -> new VerificationConfig(enabled, algorithm, secretEnv));
        }

        private Map<String, String> schedules(Object raw, String path) {
            if (raw == null) {
                return Map.of();
            }
            if (!(raw instanceof Map<?, ?> map)) {
                problem(path, "expected job names with cron expressions (e.g. gc: '0 3 * * *'), got " + describe(raw));
                return Map.of();
            }
            Map<String, String> schedules = new LinkedHashMap<>();
            map.forEach((job, cron) -> {
                String key = path + "." + job;
                if (cron instanceof String text) {
                    schedules.put(String.valueOf(job), text);
                } else if (cron == null) {
                    problem(key, "needs a cron expression such as '0 3 * * *'");
                } else {
                    problem(key, "expected a cron expression such as '0 3 * * *', got " + describe(cron));
                }
            });
            return schedules;
        }

        /**
         * The map at {@code path}; {@code null} (absent or empty) is an empty map. Reports keys
         * outside {@code allowed}, with a suggestion when one is close.
         */
        private Map<String, Object> section(Object raw, String path, List<String> allowed) {
            if (raw == null) {
                return Map.of();
            }
            if (!(raw instanceof Map<?, ?> map)) {
                problem(path.isEmpty() ? "" : path, "expected a section with keys " + String.join(", ", allowed)
                        + ", got " + describe(raw));
                return Map.of();
            }
            Map<String, Object> byName = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                String key = String.valueOf(k);
                if (allowed.contains(key)) {
                    byName.put(key, v);
                } else {
                    problem(ConfigException.joinKey(path, key), unknownKey(key, allowed));
                }
            });
            return byName;
        }

        private <T> T value(Map<String, Object> map, String path, String key, T fallback, Function<Object, T> convert) {
            if (!map.containsKey(key)) {
                return fallback;
            }
            Object raw = map.get(key);
            String full = ConfigException.joinKey(path, key);
            if (raw == null) {
                problem(full, fallback == null ? "is required" : "has no value; remove the key to use the default");
                return fallback;
            }
            try {
                return convert.apply(raw);
            } catch (IllegalArgumentException e) {
                problem(full, e.getMessage());
                return fallback;
            }
        }

        /** An optional text key: absent or empty is {@code null}. */
        private String optionalText(Map<String, Object> map, String path, String key) {
            return map.get(key) == null ? null : value(map, path, key, null, ConfigLoader::text);
        }

        /**
         * Builds a section's record unless reading its keys already failed, and files the record's
         * own complaints under the section's path.
         */
        private <T> T build(String path, int mark, T fallback, Supplier<T> constructor) {
            if (problems.size() > mark) {
                return fallback;
            }
            try {
                return constructor.get();
            } catch (ConfigException e) {
                for (ConfigException.Problem p : e.problems()) {
                    problem(ConfigException.joinKey(path, p.key()), p.message());
                }
                return fallback;
            }
        }

        private void problem(String key, String message) {
            problems.add(new ConfigException.Problem(key, message));
        }
    }

    // Conversions of a YAML value; each throws IllegalArgumentException with the text of the problem.

    static String text(Object raw) {
        return switch (raw) {
            case String s -> s;
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            default -> throw new IllegalArgumentException("expected a text value, got " + describe(raw));
        };
    }

    static boolean bool(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("expected true or false, got " + describe(raw));
    }

    static long wholeNumber(Object raw) {
        switch (raw) {
            case Integer i -> {
                return i;
            }
            case Long l -> {
                return l;
            }
            case BigInteger big -> throw new IllegalArgumentException(big + " is too large");
            case String s when s.trim().matches("[+-]?\\d+") -> {
                try {
                    return Long.parseLong(s.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(s + " is too large");
                }
            }
            default -> throw new IllegalArgumentException("expected a whole number, got " + describe(raw));
        }
    }

    static int wholeInt(Object raw) {
        long value = wholeNumber(raw);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(value + " is too large");
        }
        return (int) value;
    }

    /** Bytes, from a number or {@link ByteSize} text. */
    static long size(Object raw) {
        long bytes = switch (raw) {
            case Integer i -> i;
            case Long l -> l;
            case BigInteger big -> throw new IllegalArgumentException(big + " is too large; the largest size is "
                    + Long.MAX_VALUE + " bytes");
            case Double d when d == Math.rint(d) && Math.abs(d) < 0x1p62 -> d.longValue();
            case String s -> ByteSize.parse(s);
            default -> throw new IllegalArgumentException(describe(raw) + " is not a size (" + ByteSize.EXAMPLES + ")");
        };
        if (bytes < 0) {
            throw new IllegalArgumentException("must not be negative, got " + bytes);
        }
        return bytes;
    }

    /** A size that must fit in an {@code int}, such as a chunk size. */
    static int intSize(Object raw) {
        long bytes = size(raw);
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("must be less than 2 GiB, got " + ByteSize.format(bytes));
        }
        return (int) bytes;
    }

    /** A fraction: {@code 0.9}, {@code 1} or {@code 90%}. */
    static double fraction(Object raw) {
        return switch (raw) {
            case Integer i -> i;
            case Long l -> l;
            case Double d -> d;
            case String s when s.trim().endsWith("%") -> percent(s);
            case String s -> {
                try {
                    yield new BigDecimal(s.trim()).doubleValue();
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected a fraction such as 0.9 or 90%, got " + describe(raw));
                }
            }
            default -> throw new IllegalArgumentException("expected a fraction such as 0.9 or 90%, got " + describe(raw));
        };
    }

    private static double percent(String s) {
        String number = s.trim();
        try {
            return new BigDecimal(number.substring(0, number.length() - 1).trim()).doubleValue() / 100;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a fraction such as 0.9 or 90%, got '" + s + "'");
        }
    }

    static Path path(Object raw) {
        String s = text(raw);
        if (s.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + s + "' is not a valid path: " + e.getReason());
        }
    }

    static URI uri(Object raw) {
        String s = text(raw).trim();
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + s + "' is not a URL (example: http://127.0.0.1:9000)");
        }
    }

    /** How a wrong value is shown in a message: text quoted, numbers as they are, structures by kind. */
    static String describe(Object raw) {
        return switch (raw) {
            case null -> "nothing";
            case String s -> "'" + s + "'";
            case Map<?, ?> m -> "a section";
            case List<?> l -> "a list";
            default -> String.valueOf(raw);
        };
    }

    static String unknownKey(String key, List<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : allowed) {
            int distance = editDistance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best != null && bestDistance <= SUGGESTION_DISTANCE) {
            return "unknown key (did you mean '" + best + "'?)";
        }
        return "unknown key (expected one of " + String.join(", ", allowed) + ")";
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
