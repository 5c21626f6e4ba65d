package dev.bakecache.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bakecache.engine.hash.HashAlgorithm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheConfigTest {

    @Test
    void defaultsMatchThePlan() {
        CacheConfig config = CacheConfig.defaults();

        assertThat(config.cas().hashAlgorithm()).isEqualTo(HashAlgorithm.BLAKE3);
        assertThat(config.cas().compression()).isEqualTo(new CompressionConfig(true, 1024, 3, true));
        assertThat(config.cas().chunking()).isEqualTo(
                new ChunkingConfig(true, 10L << 20, ChunkingAlgorithm.GEAR, 1 << 20, 4 << 20, 16 << 20));
        // docs/adr/0018: restores copy unless hard links are asked for; the plan linked by default
        assertThat(config.local()).isEqualTo(new LocalConfig(Path.of(".bake/cache"), 20L << 30, 0.9,
                EvictionPolicy.LRU, false, IndexType.SQLITE));
        assertThat(config.remotes()).isEmpty();
        assertThat(config.parallelism()).isEqualTo(new ParallelismConfig(8, 16, 0));
        assertThat(config.verification()).isEqualTo(
                new VerificationConfig(true, VerificationAlgorithm.HMAC_SHA256, "BAKE_CACHE_SECRET"));
        assertThat(config.strategy()).isEqualTo(CacheStrategy.LOCAL_FIRST);
        assertThat(config.writeMode()).isEqualTo(WriteMode.WRITE_LOCAL);
        assertThat(config.schedules()).isEmpty();
    }

    @Test
    void withLocalPathChangesOnlyThePath() {
        CacheConfig config = ConfigLoader.parse("cache: {local: {maxSize: 1GB}, strategy: localOnly}", "bake.yaml");

        CacheConfig moved = config.withLocalPath(Path.of("/tmp/other"));

        assertThat(moved.local().path()).isEqualTo(Path.of("/tmp/other"));
        assertThat(moved.local().maxSize()).isEqualTo(1L << 30);
        assertThat(moved.strategy()).isEqualTo(CacheStrategy.LOCAL_ONLY);
        assertThat(config.local().path()).isEqualTo(LocalConfig.DEFAULT_PATH);
    }

    @Test
    void effectiveHashingIsTheCpuCountWhenZero() {
        assertThat(ParallelismConfig.defaults().effectiveHashing())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(new ParallelismConfig(1, 1, 3).effectiveHashing()).isEqualTo(3);
    }

    @Test
    void lowWaterBytesIsTheFractionOfMaxSize() {
        assertThat(LocalConfig.defaults().withMaxSize(1000).lowWaterBytes()).isEqualTo(900);
    }

    @Test
    void recordsBuiltInCodeReportEveryBadFieldByName() {
        assertThatThrownBy(() -> new ParallelismConfig(0, -1, -2))
                .isInstanceOf(ConfigException.class)
                .hasMessage("""
                        upload: must be at least 1, got 0
                        download: must be at least 1, got -1
                        hashing: must be 0 (one per CPU) or more, got -2""");
        assertThatThrownBy(() -> new CompressionConfig(true, 0, 23, true))
                .hasMessage("level: must be between 1 and 22, got 23");
        assertThatThrownBy(() -> new ChunkingConfig(true, 0, ChunkingAlgorithm.FIXED, 1 << 20, 1 << 20, 1 << 19))
                .hasMessage("avgChunk (1 MiB) must not exceed maxChunk (512 KiB)");
        assertThatThrownBy(() -> new VerificationConfig(true, VerificationAlgorithm.HMAC_SHA256, "MY SECRET"))
                .hasMessage("secretEnv: 'MY SECRET' is not an environment variable name (letters, digits and _)");
    }

    @Test
    void remoteEndpointMustBeHttp() {
        assertThatThrownBy(() -> new RemoteConfig("minio", RemoteType.S3, "b", null, null, null,
                java.net.URI.create("ftp://host/")))
                .hasMessage("endpoint: 'ftp://host/' is not an http(s) URL (example: http://127.0.0.1:9000)");
    }

    @Test
    void remotesAreFoundByName() {
        RemoteConfig team = RemoteConfig.of("teamS3", RemoteType.S3, "my-build-cache");
        CacheConfig config = new CacheConfig(CasConfig.defaults(), LocalConfig.defaults(), List.of(team),
                ParallelismConfig.defaults(), VerificationConfig.defaults(), CacheStrategy.REMOTE_ONLY, Map.of());

        assertThat(config.remote("teams3")).contains(team);
        assertThat(config.remote("other")).isEmpty();
        assertThat(team.location()).isEqualTo("s3://my-build-cache/");
    }

    @Test
    void collectionsAreImmutableCopies() {
        var schedules = new java.util.LinkedHashMap<String, String>();
        schedules.put("gc", "0 3 * * *");
        CacheConfig config = new CacheConfig(CasConfig.defaults(), LocalConfig.defaults(), List.of(),
                ParallelismConfig.defaults(), VerificationConfig.defaults(), CacheStrategy.LOCAL_FIRST, schedules);
        schedules.put("evict", "0 * * * *");

        assertThat(config.schedules()).containsOnlyKeys("gc");
        assertThatThrownBy(() -> config.schedules().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void summaryIsOneReadableLine() {
        CacheConfig config = ConfigLoader.parse(ConfigLoaderTest.PLAN_EXAMPLE, "bake.yaml");

        assertThat(config.summary()).isEqualTo("strategy localFirst, writeLocal; local .bake/cache (max 20 GiB, lru, sqlite index);"
                + " blake3; zstd level 3 from 10 KiB; gear chunks 1 MiB/4 MiB/16 MiB above 10 MiB;"
                + " remotes teamS3 s3://my-build-cache/bake/, companyGcs gs://company-cache/;"
                + " manifests signed (hmacSha256, $BAKE_CACHE_SECRET)");
    }

    @Test
    void enumIdsAreLenient() {
        assertThat(CacheStrategy.fromId("LOCAL_ONLY")).isEqualTo(CacheStrategy.LOCAL_ONLY);
        assertThat(CacheStrategy.fromId("remote-first")).isEqualTo(CacheStrategy.REMOTE_FIRST);
        assertThat(ChunkingAlgorithm.fromId("FastCDC")).isEqualTo(ChunkingAlgorithm.FASTCDC);
        assertThat(ChunkingAlgorithm.GEAR.contentDefined()).isTrue();
        assertThat(ChunkingAlgorithm.FIXED.contentDefined()).isFalse();
        assertThatThrownBy(() -> CacheStrategy.fromId("sometimes")).hasMessage(
                "unknown cache strategy 'sometimes', expected one of localOnly, remoteOnly, localFirst, remoteFirst, disabled");
        assertThat(WriteMode.fromId("write-local")).isEqualTo(WriteMode.WRITE_LOCAL);
        assertThatThrownBy(() -> WriteMode.fromId("writeBack"))
                .hasMessage("unknown write mode 'writeBack', expected one of writeThrough, writeLocal");
    }

    @Test
    void writeLocalNeedsAStrategyWithALocalTier() {
        List<RemoteConfig> remotes = List.of(RemoteConfig.of("teamS3", RemoteType.S3, "b"));

        assertThatThrownBy(() -> new CacheConfig(CasConfig.defaults(), LocalConfig.defaults(), remotes,
                ParallelismConfig.defaults(), VerificationConfig.defaults(), CacheStrategy.REMOTE_ONLY,
                WriteMode.WRITE_LOCAL, Map.of()))
                .hasMessage("cache.writeMode: writeLocal writes only to the local tier, which strategy remoteOnly"
                        + " does not use; use writeThrough or a strategy with a local tier");
        CacheConfig remoteFirst = new CacheConfig(CasConfig.defaults(), LocalConfig.defaults(), remotes,
                ParallelismConfig.defaults(), VerificationConfig.defaults(), CacheStrategy.REMOTE_FIRST,
                WriteMode.WRITE_LOCAL, Map.of());
        assertThat(remoteFirst.withWriteMode(WriteMode.WRITE_THROUGH).writeMode()).isEqualTo(WriteMode.WRITE_THROUGH);
    }

    @Test
    void theDefaultWriteModeIsWriteLocalExceptUnderRemoteOnly() {
        List<RemoteConfig> remotes = List.of(RemoteConfig.of("teamS3", RemoteType.S3, "b"));
        CacheConfig remoteOnly = new CacheConfig(CasConfig.defaults(), LocalConfig.defaults(), remotes,
                ParallelismConfig.defaults(), VerificationConfig.defaults(), CacheStrategy.REMOTE_ONLY, Map.of());

        assertThat(remoteOnly.writeMode()).isEqualTo(WriteMode.WRITE_THROUGH);
        assertThat(remoteOnly.withStrategy(CacheStrategy.LOCAL_FIRST).writeMode()).isEqualTo(WriteMode.WRITE_THROUGH);
        assertThat(CacheConfig.defaultWriteMode(CacheStrategy.REMOTE_FIRST)).isEqualTo(WriteMode.WRITE_LOCAL);
    }
}
