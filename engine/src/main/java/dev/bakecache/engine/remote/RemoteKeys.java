package dev.bakecache.engine.remote;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.manifest.InvalidManifestException;
import dev.bakecache.engine.manifest.OutputPaths;
import dev.bakecache.engine.store.BlobKind;

/**
 * Object keys of a remote tier: the local tier's layout under the configured prefix, so a
 * bucket reads like a cache root and replication maps one to the other key for key.
 * <pre>
 *   &lt;prefix&gt;cas/blobs/blake3/ab/&lt;hash&gt;
 *   &lt;prefix&gt;cas/blobs/chunks/ab/&lt;hash&gt;
 *   &lt;prefix&gt;ac/&lt;action key&gt;.json
 * </pre>
 *
 * @param prefix {@code ""} or a prefix such as {@code bake/}; used as given
 */
public record RemoteKeys(String prefix, HashAlgorithm algorithm) {

    private static final String MANIFEST_SUFFIX = ".json";

    /** The key prefix every blob of this kind lives under, ending in {@code /}. */
    public String blobsPrefix(BlobKind kind) {
        String dir = switch (kind) {
            case BLOB -> algorithm.id();
            case CHUNK -> "chunks";
        };
        return prefix + "cas/blobs/" + dir + "/";
    }

    /** The key prefix of one two-hex-character shard, ending in {@code /}. */
    public String shardPrefix(BlobKind kind, String shard) {
        return blobsPrefix(kind) + shard + "/";
    }

    public String blobKey(BlobKind kind, Digest digest) {
        return blobKey(kind, digest.hash());
    }

    public String blobKey(BlobKind kind, String hash) {
        return shardPrefix(kind, hash.substring(0, 2)) + hash;
    }

    public String manifestsPrefix() {
        return prefix + "ac/";
    }

    public String manifestKey(String actionKey) {
        String problem = OutputPaths.actionKeyProblem(actionKey);
        if (problem != null) {
            throw new InvalidManifestException(problem);
        }
        return manifestsPrefix() + actionKey + MANIFEST_SUFFIX;
    }

    /** The action key a manifest object is stored under, or null when the key is not a manifest's. */
    public String actionKeyOf(String objectKey) {
        if (!objectKey.startsWith(manifestsPrefix()) || !objectKey.endsWith(MANIFEST_SUFFIX)) {
            return null;
        }
        String actionKey = objectKey.substring(manifestsPrefix().length(), objectKey.length() - MANIFEST_SUFFIX.length());
        return OutputPaths.actionKeyProblem(actionKey) == null ? actionKey : null;
    }

    /** The hash a blob object is stored under, or null when the key is not a blob's. */
    public String hashOf(BlobKind kind, String objectKey) {
        String base = blobsPrefix(kind);
        if (!objectKey.startsWith(base)) {
            return null;
        }
        String rest = objectKey.substring(base.length());
        int slash = rest.indexOf('/');
        if (slash != 2) {
            return null;
        }
        String hash = rest.substring(3);
        return Digest.hashProblem(hash) == null && hash.startsWith(rest.substring(0, 2)) ? hash : null;
    }
}
