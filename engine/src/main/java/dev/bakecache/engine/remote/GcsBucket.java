package dev.bakecache.engine.remote;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobField;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import com.google.api.gax.paging.Page;
import dev.bakecache.engine.tier.RequestCounter.Request;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A GCS bucket through google-cloud-storage's JSON API client; see {@link GcsTier} for its
 * client and retries. Uploads are resumable uploads that carry the bytes' MD5: the server refuses
 * an upload whose bytes do not match it, and the MD5 the server reports for the new object is
 * compared too, so an upload that returns has stored exactly the staged bytes.
 */
public final class GcsBucket extends ObjectBucket {

    private static final int NOT_FOUND = 404;
    private static final String CREDENTIALS = "Google's Application Default Credentials";
    private static final int LIST_PAGE_SIZE = 1000;
    private static final int READ_BUFFER = 64 * 1024;
    /** Upload requests are whole multiples of this: the JSON API's rule for resumable chunks. */
    private static final int CHUNK_GRANULARITY = 256 * 1024;
    /** The library's default chunk, which larger objects are sent in. */
    private static final int MAX_CHUNK = 60 * CHUNK_GRANULARITY;

    private final Storage storage;

    /** @param storage closed with this bucket */
    public GcsBucket(Storage storage, String bucket) {
        super("gs", bucket);
        this.storage = storage;
    }

    @Override
    public Optional<BucketObject> head(String key) throws ObjectRequestException {
        requests().count(Request.HEAD);
        try {
            Blob blob = storage.get(BlobId.of(bucket, key), BlobGetOption.fields(BlobField.SIZE, BlobField.UPDATED));
            return Optional.ofNullable(blob).map(GcsBucket::toObject);
        } catch (StorageException e) {
            throw failure("HEAD", key, e);
        }
    }

    /**
     * Reads the first bytes before returning, so a missing object is known here (the reader sends
     * its request lazily); later failures name the object too.
     */
    @Override
    public Optional<InputStream> get(String key) throws ObjectRequestException {
        requests().count(Request.GET);
        ReadChannel reader = storage.reader(BlobId.of(bucket, key));
        InputStream in = new BufferedInputStream(Channels.newInputStream(reader), READ_BUFFER);
        try {
            in.mark(1);
            in.read();
            in.reset();
        } catch (IOException | StorageException e) {
            reader.close();
            if (statusOf(e) == NOT_FOUND) {
                return Optional.empty();
            }
            throw failure("GET", key, e);
        }
        return Optional.of(new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException | StorageException e) {
                    throw failure("GET", key, e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException | StorageException e) {
                    throw failure("GET", key, e);
                }
            }
        });
    }

    @Override
    public void put(String key, Path file, String contentMd5) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            upload(key, in, Files.size(file), contentMd5);
        }
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        upload(key, new ByteArrayInputStream(bytes), bytes.length, Md5.base64(bytes));
    }

    /**
     * A resumable upload (GCS emulators lack multipart ones), with the MD5 the server checks the
     * bytes against; content is already compressed or incompressible, so it is not gzipped on the
     * way. If the server still reports another MD5, that generation is deleted again.
     */
    private void upload(String key, InputStream content, long size, String contentMd5) throws IOException {
        requests().count(Request.PUT);
        BlobInfo info = BlobInfo.newBuilder(bucket, key).setMd5(contentMd5).build();
        Blob stored;
        try {
            stored = storage.createFrom(info, content, chunkSize(size), BlobWriteOption.md5Match(),
                    BlobWriteOption.disableGzipContent());
        } catch (IOException | StorageException e) {
            // the library wraps some upload failures in an IOException; statusOf finds the status inside
            throw failure("PUT", key, e);
        }
        if (!contentMd5.equals(stored.getMd5())) {
            boolean removed;
            try {
                removed = storage.delete(BlobId.of(bucket, key, stored.getGeneration()));
            } catch (StorageException e) {
                removed = false;
            }
            throw new ObjectRequestException("PUT " + url(key) + " stored other bytes than were sent: MD5 "
                    + stored.getMd5() + " instead of " + contentMd5
                    + (removed ? "; the object was removed again" : "; removing the object failed too"), 200);
        }
    }

    /**
     * Sends an object of up to 15 MiB in one request, whose buffer is no larger than the object
     * (the library's default would allocate 15 MiB for every blob). The chunk is kept larger than
     * the object: a full chunk is sent before the end is known, as a request of its own, which
     * emulators take for the whole object.
     */
    private static int chunkSize(long size) {
        return (int) Math.min((size / CHUNK_GRANULARITY + 1) * CHUNK_GRANULARITY, MAX_CHUNK);
    }

    @Override
    public void delete(String key) throws ObjectRequestException {
        requests().count(Request.DELETE);
        try {
            storage.delete(BlobId.of(bucket, key));
        } catch (StorageException e) {
            throw failure("DELETE", key, e);
        }
    }

    /** 1000 objects a page. */
    @Override
    public Stream<BucketObject> list(String prefix) {
        return PagedListing.<Page<Blob>, Blob>stream(
                        () -> listPage(prefix, () -> storage.list(bucket, BlobListOption.prefix(prefix),
                                BlobListOption.pageSize(LIST_PAGE_SIZE),
                                BlobListOption.fields(BlobField.NAME, BlobField.SIZE, BlobField.UPDATED))),
                        page -> page.hasNextPage() ? () -> listPage(prefix, page::getNextPage) : null,
                        Page::getValues)
                .map(GcsBucket::toObject);
    }

    private Page<Blob> listPage(String prefix, Supplier<Page<Blob>> request)
            throws ObjectRequestException {
        requests().count(Request.LIST);
        try {
            return request.get();
        } catch (StorageException e) {
            throw failure("LIST", prefix, e);
        }
    }

    @Override
    public void close() {
        try {
            storage.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the GCS client of " + url("") + " failed", e);
        }
    }

    private static BucketObject toObject(Blob blob) {
        Instant updated = blob.getUpdateTimeOffsetDateTime() == null ? Instant.EPOCH
                : blob.getUpdateTimeOffsetDateTime().toInstant();
        return new BucketObject(blob.getName(), blob.getSize() == null ? 0 : blob.getSize(), updated);
    }

    /** The HTTP status behind a failure, which the reader hides inside an IOException; 0 when none arrived. */
    private static int statusOf(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StorageException storage) {
                return storage.getCode();
            }
        }
        return 0;
    }

    private ObjectRequestException failure(String operation, String key, Exception e) {
        if (e instanceof ObjectRequestException named) {
            return named;
        }
        return new ObjectRequestException(operation, url(key), statusOf(e), CREDENTIALS, e);
    }
}
