package dev.bakecache.engine.remote;

import dev.bakecache.engine.concurrent.BoundedParallel;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.store.BlobEncoder;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.store.BlobNotFoundException;
import dev.bakecache.engine.store.StoredBlob;
import dev.bakecache.engine.store.StoredForm;
import dev.bakecache.engine.store.TierBlobStore;
import dev.bakecache.engine.store.VerifiedBlobStream;
import dev.bakecache.engine.tier.RequestCounter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Blobs (or chunks) of one kind in a bucket, S3 or GCS alike, under the local tier's sharded
 * layout (see {@link RemoteKeys}) and in the local tier's stored form, raw or zstd, so replication
 * copies bytes as they are.
 *
 * <p>A put first encodes the content into a temporary file while hashing it; a digest mismatch
 * fails before any request. The upload carries the encoded bytes' MD5, which the server checks
 * before it makes the object visible (see {@link ObjectBucket#put(String, Path, String)}). A get
 * streams the object through the decoder and the digest check: a corrupt object throws
 * {@link dev.bakecache.engine.store.BlobCorruptedException} at end of stream, so callers that
 * write to a temporary file and rename it after EOF (as restore does) never expose corrupt bytes.
 *
 * <p>Existence checks cost money: a blob seen present is remembered for a few minutes, a put of a
 * blob the tier has sends one HEAD and no upload, and {@link #containsMany} of a large batch lists
 * the batch's shards (one request per 1000 objects) instead of sending one HEAD per blob.
 */
public final class BucketBlobStore implements TierBlobStore {

    /** From this many digests on, {@link #containsMany} lists shards instead of sending HEADs. */
    public static final int LIST_THRESHOLD = 100;

    private final ObjectBucket bucket;
    private final RemoteKeys keys;
    private final BlobKind kind;
    private final HashAlgorithm algorithm;
    private final BlobEncoder encoder;
    private final Path tmpDir;
    private final ExistenceCache known;
    private final int uploadParallelism;

    BucketBlobStore(ObjectBucket bucket, RemoteKeys keys, BlobKind kind, BlobEncoder encoder, Path tmpDir,
                    ExistenceCache known, int uploadParallelism) {
        this.bucket = bucket;
        this.keys = keys;
        this.kind = kind;
        this.algorithm = encoder.algorithm();
        this.encoder = encoder;
        this.tmpDir = tmpDir;
        this.known = known;
        this.uploadParallelism = uploadParallelism;
    }

    /** The object key a blob lives under (whether or not it exists). */
    public String keyOf(Digest digest) {
        return keys.blobKey(kind, digest);
    }

    public RequestCounter requests() {
        return bucket.requests();
    }

    @Override
    public boolean contains(Digest digest) throws IOException {
        if (known.knownPresent(digest.hash())) {
            return true;
        }
        boolean present = bucket.head(keyOf(digest)).isPresent();
        if (present) {
            known.markPresent(digest.hash());
        }
        return present;
    }

    @Override
    public InputStream get(Digest digest) throws IOException {
        String key = keyOf(digest);
        InputStream stored = bucket.get(key).orElseThrow(() -> {
            known.forget(digest.hash());
            return new BlobNotFoundException(digest, bucket.url(keys.blobsPrefix(kind)));
        });
        return VerifiedBlobStream.open(stored, algorithm, digest, bucket.url(key));
    }

    @Override
    public boolean put(Digest digest, InputStream content) throws IOException {
        if (contains(digest)) {
            return false;
        }
        upload(digest, content);
        return true;
    }

    /** Encodes, verifies and uploads without asking first: the caller has just seen the blob missing. */
    private void upload(Digest digest, InputStream content) throws IOException {
        Path tmp = newTmpFile(digest.hash());
        try {
            MessageDigest md5 = Md5.newDigest();
            try (OutputStream out = new DigestOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(tmp), 64 * 1024), md5)) {
                encoder.encode(digest, content, out);
            }
            bucket.put(keyOf(digest), tmp, Md5.base64(md5));
            known.markPresent(digest.hash());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public InputStream openStored(String hash) throws IOException {
        String key = keys.blobKey(kind, hash);
        return bucket.get(key).orElseThrow(() -> new BlobNotFoundException(hash, bucket.url(keys.blobsPrefix(kind))));
    }

    /** Stages the stored bytes, checks them, then uploads them with their MD5, without asking first. */
    @Override
    public Digest putStored(String hash, InputStream stored) throws IOException {
        Path tmp = newTmpFile(hash);
        try {
            MessageDigest md5 = Md5.newDigest();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), md5)) {
                stored.transferTo(out);
            }
            String key = keys.blobKey(kind, hash);
            Digest digest = StoredForm.verify(tmp, algorithm, hash, "copy of " + bucket.url(key));
            bucket.put(key, tmp, Md5.base64(md5));
            known.markPresent(hash);
            return digest;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Path newTmpFile(String hash) throws IOException {
        Files.createDirectories(tmpDir);
        return Files.createTempFile(tmpDir, "upload-" + hash.substring(0, 16) + "-", ".part");
    }

    @Override
    public Stream<StoredBlob> listShard(String shard) {
        return listing(keys.shardPrefix(kind, shard));
    }

    @Override
    public boolean delete(Digest digest) throws IOException {
        known.forget(digest.hash());
        String key = keyOf(digest);
        if (bucket.head(key).isEmpty()) {
            return false;
        }
        bucket.delete(key);
        return true;
    }

    @Override
    public Stream<StoredBlob> list() {
        return listing(keys.blobsPrefix(kind));
    }

    private Stream<StoredBlob> listing(String prefix) {
        return bucket.list(prefix).<StoredBlob>mapMulti((object, out) -> {
            String hash = keys.hashOf(kind, object.key());
            if (hash != null) {
                out.accept(new StoredBlob(hash, object.size(), object.lastModified()));
            }
        });
    }

    /**
     * Small batches send a HEAD per blob not already known present; large ones list each shard
     * the batch touches (at most 256 prefixes, 1000 objects a request), which for a bucket of
     * N objects costs at most about N/1000 + 256 requests however large the batch.
     */
    @Override
    public Set<Digest> containsMany(Collection<Digest> digests) throws IOException {
        Set<Digest> present = new HashSet<>();
        List<Digest> unknown = new ArrayList<>();
        for (Digest digest : digests) {
            if (known.knownPresent(digest.hash())) {
                present.add(digest);
            } else {
                unknown.add(digest);
            }
        }
        if (unknown.size() < LIST_THRESHOLD) {
            for (Digest digest : unknown) {
                if (contains(digest)) {
                    present.add(digest);
                }
            }
            return present;
        }
        Map<String, List<Digest>> byShard = unknown.stream()
                .collect(Collectors.groupingBy(Digest::shardPrefix, TreeMap::new, Collectors.toList()));
        for (Map.Entry<String, List<Digest>> shard : byShard.entrySet()) {
            Set<String> listed = hashesInShard(shard.getKey());
            for (Digest digest : shard.getValue()) {
                if (listed.contains(digest.hash())) {
                    known.markPresent(digest.hash());
                    present.add(digest);
                }
            }
        }
        return present;
    }

    private Set<String> hashesInShard(String shard) throws IOException {
        try (Stream<BucketObject> objects = bucket.list(keys.shardPrefix(kind, shard))) {
            return objects.map(o -> keys.hashOf(kind, o.key())).filter(h -> h != null).collect(Collectors.toSet());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Opens a blob's content on demand, so a batch put reads only what the bucket lacks. */
    @FunctionalInterface
    public interface BlobSource {
        InputStream open() throws IOException;
    }

    /**
     * Checks the whole batch with {@link #containsMany}, then uploads what is missing on up to
     * {@code cache.parallelism.upload} threads without a further HEAD per blob.
     *
     * @return the digests that were newly written
     */
    public Set<Digest> putMany(Map<Digest, BlobSource> blobs) throws IOException {
        Set<Digest> present = containsMany(blobs.keySet());
        List<Map.Entry<Digest, BlobSource>> missing = blobs.entrySet().stream()
                .filter(blob -> !present.contains(blob.getKey())).toList();
        Set<Digest> written = ConcurrentHashMap.newKeySet();
        BoundedParallel.forEach(missing, uploadParallelism, blob -> {
            try (InputStream in = blob.getValue().open()) {
                upload(blob.getKey(), in);
                written.add(blob.getKey());
            }
        });
        return written;
    }

    @Override
    public String toString() {
        return bucket.url(keys.blobsPrefix(kind));
    }
}
