package dev.bakecache.engine.store;

import com.github.luben.zstd.ZstdIOException;
import dev.bakecache.engine.compress.BlobStreams;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.DigestMismatchException;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.hash.VerifyingInputStream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stored blob's content, decoded and checked against its digest at end of stream. Decoding and
 * digest failures both surface as one {@link BlobCorruptedException} that names where the stored
 * bytes came from, whichever tier that is.
 */
public final class VerifiedBlobStream extends FilterInputStream {

    private final String where;

    private VerifiedBlobStream(InputStream in, String where) {
        super(in);
        this.where = where;
    }

    /**
     * @param stored the blob's stored bytes; closed with the returned stream, or here on failure
     * @param where  a path or object URL, for the error message
     */
    public static InputStream open(InputStream stored, HashAlgorithm algorithm, Digest digest, String where)
            throws IOException {
        try {
            InputStream content = BlobStreams.decoding(stored);
            return new VerifiedBlobStream(new VerifyingInputStream(content, algorithm, digest, where), where);
        } catch (IOException | RuntimeException e) {
            stored.close();
            throw e;
        }
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (ZstdIOException | DigestMismatchException e) {
            throw new BlobCorruptedException(where, e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (ZstdIOException | DigestMismatchException e) {
            throw new BlobCorruptedException(where, e);
        }
    }
}
