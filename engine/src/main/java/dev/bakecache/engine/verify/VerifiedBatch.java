package dev.bakecache.engine.verify;

import java.util.List;

/**
 * What verify did in one shard of blobs or chunks, or one page of manifests.
 *
 * @param checked  blobs rehashed, or manifests read
 * @param bytes    content bytes rehashed
 * @param findings the problems found, in the order found
 */
public record VerifiedBatch(long checked, long bytes, List<Finding> findings) {

    public VerifiedBatch {
        findings = List.copyOf(findings);
    }
}
