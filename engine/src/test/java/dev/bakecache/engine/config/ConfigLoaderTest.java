package dev.bakecache.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bakecache.engine.hash.HashAlgorithm;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    /** The "Configuration Schema (camelCase)" example of the plan, verbatim. */
    static final String PLAN_EXAMPLE = """
            cache:
              cas:
                hashAlgorithm: blake3  # blake3 (default) or sha256

                compression:
                  enabled: true
                  threshold: 10240      # 10KB - don't compress tiny files
                  level: 3              # Zstd 1-22
                  detectFormat: true    # Skip pre-compressed formats

                chunking:
                  enabled: true
                  threshold: 10485760   # 10MB - chunk files larger than this
                  algorithm: gear       # gear, fastcdc, fixed
                  minChunk: 1048576     # 1MB
                  avgChunk: 4194304     # 4MB
                  maxChunk: 16777216    # 16MB

              local:
                path: .bake/cache
                maxSize: 20GB
                evictionPolicy: lru    # lru, lfu, fifo
                useHardLinks: true
                index: sqlite          # sqlite (persistent) or memory

              remotes:
                - name: teamS3
                  type: s3
                  bucket: my-build-cache
                  region: us-east-1
                  prefix: bake/

                - name: companyGcs
                  type: gcs
                  bucket: company-cache
                  project: my-project

              parallelism:
                upload: 8
                download: 16
                hashing: 0  # 0 = num CPUs

              verification:
                enabled: true
                algorithm: hmacSha256
                secretEnv: BAKE_CACHE_SECRET
            """;

    @TempDir
    Path dir;

    private static ConfigException failure(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "bake.yaml"));
    }

    @Test
    void planExampleParsesToTheExpectedValues() {
        CacheConfig config = ConfigLoader.parse(PLAN_EXAMPLE, "bake.yaml");

        assertThat(config.cas().hashAlgorithm()).isEqualTo(HashAlgorithm.BLAKE3);
        assertThat(config.cas().compression()).isEqualTo(new CompressionConfig(true, 10240, 3, true));
        assertThat(config.cas().chunking()).isEqualTo(
                new ChunkingConfig(true, 10485760, ChunkingAlgorithm.GEAR, 1048576, 4194304, 16777216));
        assertThat(config.local()).isEqualTo(new LocalConfig(Path.of(".bake/cache"), 20L << 30, 0.9,
                EvictionPolicy.LRU, true, IndexType.SQLITE));
        assertThat(config.remotes()).containsExactly(
                new RemoteConfig("teamS3", RemoteType.S3, "my-build-cache", "us-east-1", "bake/", null, null),
                new RemoteConfig("companyGcs", RemoteType.GCS, "company-cache", null, "", "my-project", null));
        assertThat(config.parallelism()).isEqualTo(new ParallelismConfig(8, 16, 0));
        assertThat(config.verification()).isEqualTo(
                new VerificationConfig(true, VerificationAlgorithm.HMAC_SHA256, "BAKE_CACHE_SECRET"));
        assertThat(config.strategy()).isEqualTo(CacheStrategy.LOCAL_FIRST);
        assertThat(config.writeMode()).isEqualTo(WriteMode.WRITE_LOCAL);
        assertThat(config.schedules()).isEmpty();
    }

    @Test
    void planExampleAgreesWithTheDefaultsApartFromItsRemotesCompressionThresholdAndHardLinks() {
        CacheConfig config = ConfigLoader.parse(PLAN_EXAMPLE, "bake.yaml");

        assertThat(config.remotes()).hasSize(2);
        // docs/adr/0013: the default threshold is 1 KiB, the plan's example says 10 KiB
        assertThat(config.cas().compression().threshold()).isEqualTo(10240);
        CompressionConfig compression = config.cas().compression();
        CasConfig cas = new CasConfig(config.cas().hashAlgorithm(), new CompressionConfig(compression.enabled(),
                CompressionConfig.DEFAULT_THRESHOLD, compression.level(), compression.detectFormat()), config.cas().chunking());
        // docs/adr/0018: restores copy by default, the plan's example links
        assertThat(config.local().useHardLinks()).isTrue();
        LocalConfig local = config.local();
        LocalConfig copying = new LocalConfig(local.path(), local.maxSize(), local.lowWaterMark(), local.evictionPolicy(),
                false, local.index());
        assertThat(new CacheConfig(cas, copying, java.util.List.of(), config.parallelism(),
                config.verification(), config.strategy(), config.schedules()))
                .isEqualTo(ConfigLoader.defaults());
    }

    @Test
    void emptyFileGivesTheDefaults() {
        assertThat(ConfigLoader.parse("", "bake.yaml")).isEqualTo(CacheConfig.defaults());
        assertThat(ConfigLoader.parse("# nothing configured yet\n", "bake.yaml")).isEqualTo(CacheConfig.defaults());
        assertThat(ConfigLoader.parse("cache:\nschedules:\n", "bake.yaml")).isEqualTo(CacheConfig.defaults());
    }

    @Test
    void missingKeysKeepTheirDefaults() {
        CacheConfig config = ConfigLoader.parse("""
                cache:
                  cas:
                    compression:
                      level: 19
                  local:
                    maxSize: 512MiB
                """, "bake.yaml");

        assertThat(config.cas().compression())
                .isEqualTo(new CompressionConfig(true, CompressionConfig.DEFAULT_THRESHOLD, 19, true));
        assertThat(config.cas().chunking()).isEqualTo(ChunkingConfig.defaults());
        assertThat(config.local().maxSize()).isEqualTo(512L << 20);
        assertThat(config.local().path()).isEqualTo(LocalConfig.DEFAULT_PATH);
        assertThat(config.parallelism()).isEqualTo(ParallelismConfig.defaults());
    }

    @Test
    void everyOtherValueIsRead() {
        CacheConfig config = ConfigLoader.parse("""
                cache:
                  strategy: remote-first
                  writeMode: write-through
                  cas:
                    hashAlgorithm: SHA256
                    compression: {enabled: false, threshold: 4KB, detectFormat: false}
                    chunking: {enabled: false, threshold: 64MiB, algorithm: FastCDC, minChunk: 256KiB, avgChunk: 1MiB, maxChunk: 8MiB}
                  local:
                    path: /var/cache/bake
                    lowWaterMark: 75%
                    evictionPolicy: largest-first
                    useHardLinks: false
                    index: memory
                  remotes:
                    - {name: minio, type: S3, bucket: cache, endpoint: 'http://127.0.0.1:9000'}
                  parallelism: {upload: 2, download: 4, hashing: 3}
                  verification: {enabled: false, algorithm: hmac-sha256, secretEnv: MY_SECRET}
                schedules:
                  evict: '0 * * * *'
                  gc: 0 3 * * *
                  verify: '0 0 4 ? * SUN'
                """, "bake.yaml");

        assertThat(config.strategy()).isEqualTo(CacheStrategy.REMOTE_FIRST);
        assertThat(config.writeMode()).isEqualTo(WriteMode.WRITE_THROUGH);
        assertThat(config.cas().hashAlgorithm()).isEqualTo(HashAlgorithm.SHA256);
        assertThat(config.cas().compression()).isEqualTo(new CompressionConfig(false, 4096, 3, false));
        assertThat(config.cas().chunking()).isEqualTo(
                new ChunkingConfig(false, 64L << 20, ChunkingAlgorithm.FASTCDC, 256 << 10, 1 << 20, 8 << 20));
        assertThat(config.local()).isEqualTo(new LocalConfig(Path.of("/var/cache/bake"), LocalConfig.DEFAULT_MAX_SIZE,
                0.75, EvictionPolicy.LARGEST_FIRST, false, IndexType.MEMORY));
        assertThat(config.remotes()).containsExactly(new RemoteConfig("minio", RemoteType.S3, "cache", null, "", null,
                URI.create("http://127.0.0.1:9000")));
        assertThat(config.parallelism()).isEqualTo(new ParallelismConfig(2, 4, 3));
        assertThat(config.verification())
                .isEqualTo(new VerificationConfig(false, VerificationAlgorithm.HMAC_SHA256, "MY_SECRET"));
        assertThat(config.schedules()).containsExactly(
                org.assertj.core.api.Assertions.entry("evict", "0 * * * *"),
                org.assertj.core.api.Assertions.entry("gc", "0 3 * * *"),
                org.assertj.core.api.Assertions.entry("verify", "0 0 4 ? * SUN"));
    }

    @Test
    void levelOutOfRangeNamesTheKey() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                cache:
                  cas:
                    compression:
                      level: 30
                """, "bake.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("bake.yaml: cache.cas.compression.level: must be between 1 and 22, got 30");
    }

    @Test
    void badSizeNamesTheKeyAndShowsExamples() {
        ConfigException e = failure("""
                cache:
                  local:
                    maxSize: 20XB
                """);

        assertThat(e).hasMessage(
                "bake.yaml: cache.local.maxSize: '20XB' is not a size (examples: 20GB, 512MiB, 1048576)");
        assertThat(e.source()).isEqualTo("bake.yaml");
        assertThat(e.problems()).extracting(ConfigException.Problem::key).containsExactly("cache.local.maxSize");
    }

    @Test
    void negativeSizeNamesTheKey() {
        assertThat(failure("cache: {cas: {compression: {threshold: -1}}}"))
                .hasMessage("bake.yaml: cache.cas.compression.threshold: must not be negative, got -1");
    }

    @Test
    void minChunkAboveAvgChunkNamesTheChunkingSection() {
        assertThat(failure("""
                cache:
                  cas:
                    chunking:
                      minChunk: 2MiB
                      avgChunk: 1MiB
                """)).hasMessage("bake.yaml: cache.cas.chunking: minChunk (2 MiB) must not exceed avgChunk (1 MiB)");
    }

    @Test
    void chunkSizesMustFitInAnInt() {
        assertThat(failure("cache: {cas: {chunking: {maxChunk: 4GiB}}}"))
                .hasMessage("bake.yaml: cache.cas.chunking.maxChunk: must be less than 2 GiB, got 4 GiB");
    }

    @Test
    void missingBucketNamesTheRemoteByIndex() {
        assertThat(failure("""
                cache:
                  remotes:
                    - name: teamS3
                      type: s3
                      bucket: my-build-cache
                    - name: companyGcs
                      type: gcs
                      project: my-project
                """)).hasMessage("bake.yaml: cache.remotes[1].bucket: is required");
    }

    @Test
    void missingRemoteTypeIsRequired() {
        assertThat(failure("cache: {remotes: [{name: a, bucket: b}]}"))
                .hasMessage("bake.yaml: cache.remotes[0].type: is required (s3 or gcs)");
    }

    @Test
    void unknownRemoteTypeListsTheChoices() {
        assertThat(failure("cache: {remotes: [{name: a, type: azure, bucket: b}]}"))
                .hasMessage("bake.yaml: cache.remotes[0].type: unknown remote type 'azure', expected one of s3, gcs");
    }

    @Test
    void duplicateRemoteNamesAreRejected() {
        assertThat(failure("""
                cache:
                  remotes:
                    - {name: team, type: s3, bucket: a}
                    - {name: Team, type: gcs, bucket: b}
                """)).hasMessage("bake.yaml: cache.remotes[1].name: 'Team' is already the name of cache.remotes[0];"
                + " names must be unique");
    }

    @Test
    void aRemoteMayNotBeCalledLocal() {
        assertThat(failure("cache: {remotes: [{name: local, type: s3, bucket: b}]}"))
                .hasMessageStartingWith("bake.yaml: cache.remotes[0].name: 'local' is reserved for the local tier");
    }

    @Test
    void remoteStrategyWithoutRemotesIsRejected() {
        assertThat(failure("cache: {strategy: remoteOnly}"))
                .hasMessage("bake.yaml: cache.strategy: remoteOnly needs at least one entry in cache.remotes");
    }

    @Test
    void writeModeErrorsNameTheKey() {
        assertThat(failure("cache: {writeMode: writeBack}"))
                .hasMessage("bake.yaml: cache.writeMode: unknown write mode 'writeBack', expected one of writeThrough,"
                        + " writeLocal");
        assertThat(failure("cache: {writeMode: }"))
                .hasMessage("bake.yaml: cache.writeMode: has no value; remove the key to use the default");
        assertThat(failure("""
                cache:
                  strategy: remoteOnly
                  writeMode: writeLocal
                  remotes: [{name: teamS3, type: s3, bucket: b}]
                """)).hasMessageStartingWith("bake.yaml: cache.writeMode: writeLocal writes only to the local tier");
    }

    @Test
    void wrongTypeNamesTheKey() {
        assertThat(failure("""
                cache:
                  parallelism:
                    upload: lots
                """)).hasMessage("bake.yaml: cache.parallelism.upload: expected a whole number, got 'lots'");
        assertThat(failure("cache: {cas: {compression: {enabled: maybe}}}"))
                .hasMessage("bake.yaml: cache.cas.compression.enabled: expected true or false, got 'maybe'");
        assertThat(failure("cache: {local: [a, b]}"))
                .hasMessageStartingWith("bake.yaml: cache.local: expected a section with keys path, maxSize,")
                .hasMessageEndingWith("got a list");
        assertThat(failure("cache: {remotes: {name: a}}"))
                .hasMessageStartingWith("bake.yaml: cache.remotes: expected a list of remotes");
    }

    @Test
    void unknownEnumValueListsTheChoices() {
        assertThat(failure("cache: {cas: {hashAlgorithm: md5}}")).hasMessage(
                "bake.yaml: cache.cas.hashAlgorithm: unknown hash algorithm 'md5', expected one of blake3, sha256");
        assertThat(failure("cache: {local: {evictionPolicy: random}}"))
                .hasMessageStartingWith("bake.yaml: cache.local.evictionPolicy: unknown eviction policy 'random'");
    }

    @Test
    void lowWaterMarkMustBeAFractionUpToOne() {
        assertThat(failure("cache: {local: {lowWaterMark: 1.5}}"))
                .hasMessageStartingWith("bake.yaml: cache.local.lowWaterMark: must be a fraction above 0 and at most 1")
                .hasMessageEndingWith("got 1.5");
        assertThat(ConfigLoader.parse("cache: {local: {lowWaterMark: 1}}", "x").local().lowWaterMark()).isEqualTo(1.0);
    }

    @Test
    void keyWithoutValueIsAnError() {
        assertThat(failure("cache: {cas: {compression: {level: }}}"))
                .hasMessage("bake.yaml: cache.cas.compression.level: has no value; remove the key to use the default");
    }

    @Test
    void unknownKeySuggestsTheClosestKnownKey() {
        assertThat(failure("""
                cache:
                  cas:
                    compresion:
                      level: 3
                """)).hasMessage("bake.yaml: cache.cas.compresion: unknown key (did you mean 'compression'?)");
        assertThat(failure("cache: {local: {maxsize: 1GB}}"))
                .hasMessage("bake.yaml: cache.local.maxsize: unknown key (did you mean 'maxSize'?)");
        assertThat(failure("cahce: {}"))
                .hasMessage("bake.yaml: cahce: unknown key (did you mean 'cache'?)");
    }

    @Test
    void unknownKeyWithNothingCloseListsTheAllowedKeys() {
        assertThat(failure("cache: {parallelism: {threads: 4}}")).hasMessage(
                "bake.yaml: cache.parallelism.threads: unknown key (expected one of upload, download, hashing)");
    }

    @Test
    void badCronNamesTheSchedule() {
        assertThat(failure("""
                schedules:
                  gc: '0 3 * *'
                """)).hasMessage("bake.yaml: schedules.gc: '0 3 * *' is not a cron expression: expected 5, 6 or 7"
                + " space-separated fields (e.g. '0 3 * * *'), got 4");
        assertThat(failure("schedules: {evict: 5}"))
                .hasMessage("bake.yaml: schedules.evict: expected a cron expression such as '0 3 * * *', got 5");
    }

    @Test
    void unquotedCronStartingWithStarGetsAHint() {
        assertThat(failure("""
                schedules:
                  evict: */5 * * * *
                """)).hasMessageStartingWith("bake.yaml: line 2, column 11: malformed YAML:")
                .hasMessageContaining("must be quoted");
    }

    @Test
    void yamlSyntaxErrorNamesTheFileAndLine() {
        ConfigException e = failure("""
                cache:
                  local:
                    path: .bake/cache
                   maxSize: : 20GB
                """);

        assertThat(e).hasMessageStartingWith("bake.yaml: line 4, column 4: malformed YAML: ");
        assertThat(e.source()).isEqualTo("bake.yaml");
    }

    @Test
    void duplicateKeysAreASyntaxError() {
        assertThat(failure("""
                cache:
                  strategy: localOnly
                  strategy: disabled
                """)).hasMessageStartingWith("bake.yaml: line 3, column 3: malformed YAML: found duplicate key strategy");
    }

    @Test
    void allProblemsAreReportedTogether() {
        ConfigException e = failure("""
                cache:
                  cas:
                    compression: {level: 30}
                    chunking: {minChunk: 2MiB, avgChunk: 1MiB}
                  local: {maxSize: 20XB, evictionPolicy: lru}
                  parallelism: {upload: lots, dowload: 4}
                """);

        assertThat(e.problems()).extracting(ConfigException.Problem::key).containsExactly(
                "cache.cas.compression.level", "cache.cas.chunking", "cache.local.maxSize",
                "cache.parallelism.dowload", "cache.parallelism.upload");
        assertThat(e.getMessage().lines()).hasSize(5).allMatch(line -> line.startsWith("bake.yaml: cache."));
    }

    @Test
    void topLevelMustBeASection() {
        assertThat(failure("- cache")).hasMessage(
                "bake.yaml: expected a section with keys cache, schedules, got a list");
    }

    @Test
    void loadReadsARealFileAndNamesItInErrors() throws IOException {
        Path good = Files.writeString(dir.resolve("bake.yaml"), PLAN_EXAMPLE);
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "cache:\n  cas:\n    compression:\n      level: 0\n");

        assertThat(ConfigLoader.load(good)).isEqualTo(ConfigLoader.parse(PLAN_EXAMPLE, "bake.yaml"));
        assertThatThrownBy(() -> ConfigLoader.load(bad))
                .isInstanceOf(ConfigException.class)
                .hasMessage(bad + ": cache.cas.compression.level: must be between 1 and 22, got 0");
    }

    @Test
    void loadOfAnEmptyFileGivesTheDefaults() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.yaml"));

        assertThat(ConfigLoader.load(empty)).isEqualTo(ConfigLoader.defaults());
    }

    @Test
    void missingFileIsAConfigException() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(missing + ": config file not found");
    }

    @Test
    void syntaxErrorInAFileNamesThePathAndLine() throws IOException {
        Path file = Files.writeString(dir.resolve("broken.yaml"), "cache:\n  remotes: [a, b\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": line 3, column 1: malformed YAML:");
    }
}
