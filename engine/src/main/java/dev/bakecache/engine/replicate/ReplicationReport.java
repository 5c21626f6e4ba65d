package dev.bakecache.engine.replicate;

import dev.bakecache.engine.config.ByteSize;
import dev.bakecache.engine.store.ShardRange;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a replicate run did, for its summary line.
 *
 * @param shardsRun the shards this run copied; a resumed run does not run those done before
 * @param blobs what this run's shard copies did
 * @param manifests what the manifest pages did, across resumes
 */
public record ReplicationReport(String from, String to, ShardRange shards, int shardsRun, ShardCopy blobs,
                                ManifestCopy manifests) {

    /**
     * {@code replicated local → teamS3 (all shards, 256 this run): 10000 of 10000 blobs and chunks copied
     * (39.1 MiB stored), 0 corrupt at the source; 50 manifests copied, 0 unchanged, 0 waiting for blobs, 0
     * rejected; requests to teamS3: HEAD 0, LIST 512, GET 0, PUT 10050, DELETE 0; 12.3 s, 3.2 MiB/s}, then
     * one line per problem.
     *
     * @param requests the remotes' request counts, or empty
     */
    public String summary(String requests, Duration elapsed) {
        double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-3);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "replicated %s → %s (%s, %d this run): %d of %d blobs and chunks copied"
                        + " (%s stored), %d corrupt at the source; %d manifests copied, %d unchanged, %d waiting for"
                        + " blobs, %d rejected%s; %.1f s, %s/s",
                from, to, shards.isAll() ? "all shards" : shards, shardsRun, blobs.copied(), blobs.listed(),
                ByteSize.format(blobs.copiedBytes()), blobs.corrupt().size(), manifests.copied(),
                manifests.unchanged(), manifests.waiting().size(), manifests.rejected().size(),
                requests.isEmpty() ? "" : "; " + requests, seconds,
                ByteSize.format((long) (blobs.copiedBytes() / seconds))));
        blobs.corrupt().forEach(hash -> lines.add("  corrupt at the source, not copied: " + hash));
        manifests.rejected().forEach(problem -> lines.add("  rejected manifest: " + problem));
        manifests.waiting().stream().limit(20).forEach(key -> lines.add("  waiting for its blobs: " + key));
        return String.join("\n", lines);
    }
}
