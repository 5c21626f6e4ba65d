package dev.bakecache.jobs;

import dev.bakecache.engine.CacheFixtures;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ingest and restore with an S3 remote (S3Proxy on 127.0.0.1): write-through ingests reach the
 * bucket, restores on a machine that never saw them fetch from it, and a server that is down
 * leaves both jobs local with a warning.
 */
class RemoteTiersCliTest {

    @TempDir
    Path tmp;

    private S3Server s3;
    private Path outputs;

    @BeforeEach
    void startS3() throws Exception {
        s3 = S3Server.start(tmp.resolve("s3"));
        s3.createBucket("team-cache");
        outputs = Trees.sample(tmp.resolve("outputs"));
    }

    @AfterEach
    void stopS3() throws Exception {
        s3.close();
    }

    private String config(String strategy, String writeMode) throws IOException {
        return Files.writeString(tmp.resolve(strategy + "-" + writeMode + ".yaml"), """
                cache:
                  strategy: %s
                  writeMode: %s
                  remotes:
                %s""".formatted(strategy, writeMode, s3.remoteYaml("teamS3", "team-cache"))).toString();
    }

    private CliRun run(String config, String machine, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = args[0];
        System.arraycopy(new String[] {"--config", config, "--cache", tmp.resolve(machine).toString()}, 0, all, 1, 4);
        System.arraycopy(args, 1, all, 5, args.length - 1);
        return CliRun.of(all);
    }

    private boolean inBucket(String key) {
        return Files.exists(tmp.resolve("s3/team-cache").resolve(key));
    }

    @Test
    void aWriteThroughIngestRestoresOnAMachineThatNeverSawIt() throws IOException {
        String config = config("localFirst", "writeThrough");

        CliRun ingest = run(config, "builder", "ingest", "--key", "web", "--dir", outputs.toString());
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
        assertThat(ingest.out()).containsPattern("pushed 1 manifests, \\d+ blobs and 0 chunks to teamS3");
        assertThat(inBucket("bake/ac/web.json")).isTrue();

        Path target = tmp.resolve("restored");
        CliRun restore = run(config, "laptop", "restore", "--key", "web", "--dir", target.toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(restore.out()).startsWith("restored 22 files").containsPattern("fetched the manifest and \\d+ blobs");
        assertThat(CacheFixtures.describeTree(target)).isEqualTo(CacheFixtures.describeTree(outputs));

        // each machine's stats count the requests its ingest pushed and its restore pulled with
        assertThat(run(config, "builder", "stats").out()).containsPattern("remotes +requests HEAD \\d+, LIST \\d+, GET \\d+, PUT [1-9]");
        assertThat(run(config, "laptop", "stats").out()).containsPattern("remotes +requests HEAD \\d+, LIST \\d+, GET [1-9]\\d*, PUT 0");
    }

    @Test
    void writeLocalIngestsLeaveTheBucketToReplicate() throws IOException {
        CliRun ingest = run(config("localFirst", "writeLocal"), "builder", "ingest", "--key", "web",
                "--dir", outputs.toString());
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
        assertThat(ingest.out()).doesNotContain("pushed");
        assertThat(inBucket("bake/ac/web.json")).isFalse();
    }

    @Test
    void remoteOnlyRestoresThroughTheLocalStagingArea() throws IOException {
        String config = config("remoteOnly", "writeThrough");
        run(config, "builder", "ingest", "--key", "web", "--dir", outputs.toString());

        Path target = tmp.resolve("restored");
        CliRun restore = run(config, "laptop", "restore", "--key", "web", "--dir", target.toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(CacheFixtures.describeTree(target)).isEqualTo(CacheFixtures.describeTree(outputs));
    }

    @Test
    void withTheServerDownIngestAndRestoreStayLocalAndWarn() throws Exception {
        String config = config("localFirst", "writeThrough");
        s3.stop();

        CliRun ingest = run(config, "builder", "ingest", "--key", "web", "--dir", outputs.toString());
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
        assertThat(ingest.out()).startsWith("ingested web: 22 files")
                .contains("; warning: remote teamS3 is unavailable, carrying on without it for this run: ");

        Path target = tmp.resolve("restored");
        CliRun restore = run(config, "builder", "restore", "--key", "web", "--dir", target.toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(CacheFixtures.describeTree(target)).isEqualTo(CacheFixtures.describeTree(outputs));

        CliRun miss = run(config, "laptop", "restore", "--key", "web", "--dir", tmp.resolve("nothing").toString());
        assertThat(miss.exitCode()).as(miss.toString()).isEqualTo(7);
        assertThat(miss.out()).contains("no manifest for key 'web'").contains("remote teamS3 is unavailable");
        s3.start();
    }
}
