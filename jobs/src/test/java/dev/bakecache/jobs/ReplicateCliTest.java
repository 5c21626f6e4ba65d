package dev.bakecache.jobs;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.engine.remote.FirebaseStorageEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code replicate} from the command line, local → S3 → another cache, against S3Proxy on
 * 127.0.0.1: what arrives restores byte for byte, a second run moves nothing and sends no HEAD,
 * partitions together do the whole job, and a server that goes down mid-run fails the job, which
 * the same command then finishes.
 */
class ReplicateCliTest {

    @TempDir
    Path tmp;

    private S3Server s3;
    private Path config;

    @BeforeEach
    void startS3() throws Exception {
        s3 = S3Server.start(tmp.resolve("s3"));
        s3.createBucket("team-cache");
        config = tmp.resolve("bake.yaml");
        writeConfig();
    }

    private void writeConfig() throws IOException {
        Files.writeString(config, "cache:\n  remotes:\n" + s3.remoteYaml("teamS3", "team-cache"));
    }

    @AfterEach
    void stopS3() throws Exception {
        s3.close();
    }

    private CliRun run(String cache, String... args) {
        List<String> all = new ArrayList<>(List.of(args[0], "--config", config.toString(), "--cache", tmp.resolve(cache).toString()));
        all.addAll(List.of(args).subList(1, args.length));
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void copiesToS3AndBackSoASecondCacheRestoresIdenticallyAndASecondRunMovesNothing() throws IOException {
        Path outputs = Trees.sample(tmp.resolve("outputs"));
        assertThat(run("a", "ingest", "--key", "web", "--dir", outputs.toString()).exitCode()).isZero();

        CliRun first = run("a", "replicate", "--to", "teamS3");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).startsWith("replicated local → teamS3 (all shards, 256 this run): 22 of 22 blobs and chunks copied")
                .contains("1 manifests copied");
        assertThat(count(first.out(), "PUT")).isEqualTo(23);

        CliRun second = run("a", "replicate", "--to", "teamS3");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).contains("0 of 22 blobs and chunks copied").contains("0 manifests copied, 1 unchanged");
        assertThat(count(second.out(), "PUT")).isZero();
        assertThat(count(second.out(), "HEAD")).isZero();
        assertThat(count(second.out(), "LIST")).isEqualTo(2 * 256 + 1);

        CliRun back = run("b", "replicate", "--from", "teamS3", "--to", "local");
        assertThat(back.exitCode()).as(back.toString()).isZero();
        CliRun restore = run("b", "restore", "--key", "web", "--dir", tmp.resolve("restored").toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(CacheFixtures.describeTree(tmp.resolve("restored"))).isEqualTo(CacheFixtures.describeTree(outputs));

        CliRun stats = run("a", "stats");
        assertThat(stats.out()).contains("replication").contains("22 blobs and chunks");
    }

    /**
     * local → S3 → GCS, then GCS alone into an empty cache. {@code -Dbake.replicate.files=10000}
     * runs it at the scale (about 90 s on 2 cores), {@code -Dbake.replicate.bytes=N} sets
     * each file's size (random, so stored raw); every run prints its summaries.
     */
    @Test
    void copiesLocalToS3ToGcsAndAnEmptyCacheRestoresFromGcsAlone() throws IOException {
        int files = Integer.getInteger("bake.replicate.files", 60);
        Path outputs = Trees.large(tmp.resolve("outputs"), files, Integer.getInteger("bake.replicate.bytes", 3_000));
        String gcs = """
                    - name: teamGcs
                      type: gcs
                      bucket: replicate-%d
                      project: %s
                      prefix: bake/
                      endpoint: %s
                """.formatted(System.nanoTime(), FirebaseStorageEmulator.PROJECT, FirebaseStorageEmulator.endpoint());
        Files.writeString(config, Files.readString(config) + gcs);
        assertThat(run("a", "ingest", "--key", "many", "--dir", outputs.toString()).exitCode()).isZero();

        CliRun toS3 = run("a", "replicate", "--to", "teamS3");
        CliRun toGcs = run("relay", "replicate", "--from", "teamS3", "--to", "teamGcs");
        CliRun again = run("relay", "replicate", "--from", "teamS3", "--to", "teamGcs");
        System.out.println(toS3.out() + toGcs.out() + again.out());
        assertThat(toS3.exitCode()).as(toS3.toString()).isZero();
        assertThat(toGcs.exitCode()).as(toGcs.toString()).isZero();
        assertThat(copied(toGcs.out())).isEqualTo(files).isEqualTo(copied(toS3.out()));
        assertThat(again.out()).contains("0 of " + files + " blobs and chunks copied").contains("0 manifests copied, 1 unchanged");
        assertThat(count(again.out(), "teamGcs", "PUT")).isZero();
        assertThat(count(again.out(), "teamGcs", "HEAD")).isZero();

        Files.writeString(config, "cache:\n  remotes:\n" + gcs);
        CliRun fromGcs = run("b", "replicate", "--from", "teamGcs", "--to", "local");
        assertThat(fromGcs.exitCode()).as(fromGcs.toString()).isZero();
        CliRun restore = run("b", "restore", "--key", "many", "--dir", tmp.resolve("restored").toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(CacheFixtures.describeTree(tmp.resolve("restored"))).isEqualTo(CacheFixtures.describeTree(outputs));
    }

    @Test
    void partitionsTogetherCopyEverythingAndTheManifestFollowsItsBlobs() throws IOException {
        Path outputs = Trees.sample(tmp.resolve("outputs"));
        run("a", "ingest", "--key", "web", "--dir", outputs.toString());

        CliRun firstHalf = run("a", "replicate", "--to", "teamS3", "--partition", "0/2");
        assertThat(firstHalf.exitCode()).as(firstHalf.toString()).isZero();
        assertThat(firstHalf.out()).contains("(shards 00-7f, 128 this run)").contains("0 manifests copied")
                .contains("1 waiting for blobs").contains("waiting for its blobs: web");

        CliRun secondHalf = run("a", "replicate", "--to", "teamS3", "--partition", "1/2");
        assertThat(secondHalf.exitCode()).as(secondHalf.toString()).isZero();
        assertThat(secondHalf.out()).contains("(shards 80-ff, 128 this run)").contains("1 manifests copied");
        assertThat(copied(firstHalf.out()) + copied(secondHalf.out())).isEqualTo(22);

        run("b", "replicate", "--from", "teamS3", "--to", "local");
        assertThat(run("b", "restore", "--key", "web", "--dir", tmp.resolve("restored").toString()).exitCode()).isZero();
        assertThat(CacheFixtures.describeTree(tmp.resolve("restored"))).isEqualTo(CacheFixtures.describeTree(outputs));
    }

    @Test
    void aServerThatGoesDownFailsTheRunAndTheSameCommandFinishesItWithNothingLostOrCopiedTwice() throws Exception {
        Path outputs = Trees.large(tmp.resolve("outputs"), 400, 2_000);
        assertThat(run("a", "ingest", "--key", "big", "--dir", outputs.toString()).exitCode()).isZero();

        Thread outage = Thread.ofPlatform().start(() -> {
            try {
                while (!Files.exists(tmp.resolve("s3/team-cache/bake"))) {
                    Thread.sleep(2);
                }
                s3.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        CliRun failed = run("a", "replicate", "--to", "teamS3");
        outage.join();
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        assertThat(failed.err()).contains("run the same command again to resume");
        long before = objects("cas");

        s3.start();
        CliRun resumed = run("a", "replicate", "--to", "teamS3");
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.err()).doesNotContain("interrupted"); // failed cleanly, not left running
        assertThat(copied(resumed.out()) + before).isEqualTo(objects("cas"));
        assertThat(objects("cas")).isEqualTo(blobFiles(tmp.resolve("a")));
        assertThat(objects("ac")).isEqualTo(1);

        run("b", "replicate", "--from", "teamS3", "--to", "local");
        assertThat(run("b", "restore", "--key", "big", "--dir", tmp.resolve("restored").toString()).exitCode()).isZero();
        assertThat(CacheFixtures.describeTree(tmp.resolve("restored"))).isEqualTo(CacheFixtures.describeTree(outputs));
    }

    private long objects(String under) throws IOException {
        Path dir = tmp.resolve("s3/team-cache/bake/" + under);
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static long blobFiles(Path cache) throws IOException {
        try (Stream<Path> files = Files.walk(cache.resolve("cas/blobs"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static long copied(String summary) {
        Matcher m = Pattern.compile(": (\\d+) of \\d+ blobs and chunks copied").matcher(summary);
        assertThat(m.find()).as(summary).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static long count(String summary, String request) {
        return count(summary, "teamS3", request);
    }

    private static long count(String summary, String tier, String request) {
        Matcher m = Pattern.compile("requests to " + tier + ": .*?" + request + " (\\d+)").matcher(summary);
        assertThat(m.find()).as(summary).isTrue();
        return Long.parseLong(m.group(1));
    }
}
