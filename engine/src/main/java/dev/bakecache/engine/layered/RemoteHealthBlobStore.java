package dev.bakecache.engine.layered;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.DigestMismatchException;
import dev.bakecache.engine.store.BlobCorruptedException;
import dev.bakecache.engine.store.BlobNotFoundException;
import dev.bakecache.engine.store.StoredBlob;
import dev.bakecache.engine.store.TierBlobStore;
import dev.bakecache.engine.store.TierUnavailableException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A remote's store that never fails a job (docs/adr/0012): its first failure (I/O error, timeout,
 * refused connection, HTTP error) is reported once through {@link TierWarnings}, and from then on,
 * for the rest of the run, it answers as an empty tier that keeps nothing, without a request. So
 * a dead endpoint costs one round of the client's retries instead of one per blob, and every
 * answer is then the other tiers' answer.
 *
 * <p>A missing, corrupt or mismatched blob is an answer, not a failure, and passes through as it
 * is. Reads and copies that cannot answer "absent" (a get, a stored-form copy) throw a
 * {@link TierUnavailableException} instead, also when the remote fails in the middle of a stream;
 * callers that carry on without the remote treat it as "not here". The local tier is never
 * wrapped: its failures are errors as usual.
 *
 * @param remote the remote's own store, as it is
 */
record RemoteHealthBlobStore(TierStore remote, TierWarnings warnings) implements TierBlobStore {

    @Override
    public boolean contains(Digest digest) throws IOException {
        return orWhenDown(() -> remote.store().contains(digest), false);
    }

    @Override
    public Set<Digest> containsMany(Collection<Digest> digests) throws IOException {
        return orWhenDown(() -> remote.store().containsMany(digests), Set.of());
    }

    @Override
    public InputStream get(Digest digest) throws IOException {
        return new Watched(required(() -> remote.store().get(digest)));
    }

    @Override
    public boolean put(Digest digest, InputStream content) throws IOException {
        return orWhenDown(() -> remote.store().put(digest, content), false);
    }

    @Override
    public boolean delete(Digest digest) throws IOException {
        return orWhenDown(() -> remote.store().delete(digest), false);
    }

    @Override
    public InputStream openStored(String hash) throws IOException {
        return new Watched(required(() -> remote.store().openStored(hash)));
    }

    @Override
    public Digest putStored(String hash, InputStream stored) throws IOException {
        return required(() -> remote.store().putStored(hash, stored));
    }

    @Override
    public Stream<StoredBlob> list() throws IOException {
        return orWhenDown(() -> remote.store().list(), Stream.empty());
    }

    @Override
    public Stream<StoredBlob> listShard(String shard) throws IOException {
        return orWhenDown(() -> remote.store().listShard(shard), Stream.empty());
    }

    @FunctionalInterface
    private interface RemoteCall<T> {
        T run() throws IOException;
    }

    private <T> T orWhenDown(RemoteCall<T> call, T empty) throws IOException {
        if (warnings.isUnavailable(remote.name())) {
            return empty;
        }
        try {
            return call.run();
        } catch (BlobNotFoundException | BlobCorruptedException | DigestMismatchException
                 | TierUnavailableException answer) {
            throw answer; // the last: another remote's stream failed while this one read it
        } catch (IOException | UncheckedIOException e) {
            warnings.unavailable(remote.name(), e);
            return empty;
        }
    }

    private <T> T required(RemoteCall<T> call) throws IOException {
        if (warnings.isUnavailable(remote.name())) {
            throw new TierUnavailableException(remote.name(), null);
        }
        try {
            return call.run();
        } catch (BlobNotFoundException | BlobCorruptedException | DigestMismatchException
                 | TierUnavailableException answer) {
            throw answer;
        } catch (IOException | UncheckedIOException e) {
            throw down(e);
        }
    }

    private TierUnavailableException down(Exception cause) {
        warnings.unavailable(remote.name(), cause);
        return new TierUnavailableException(remote.name(), cause);
    }

    /** A stream from the remote whose failures, after it was opened, count against the remote too. */
    private final class Watched extends FilterInputStream {

        Watched(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int read = read(one, 0, 1);
            return read < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return in.read(buffer, offset, length);
            } catch (BlobCorruptedException | TierUnavailableException answer) {
                throw answer;
            } catch (IOException e) {
                throw down(e);
            }
        }
    }
}
