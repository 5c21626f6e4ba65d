package dev.bakecache.engine.hash;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes content through while hashing it and, at end of stream, fails unless the content
 * matched the expected digest. Readers that write to a temporary file and rename it only after
 * EOF therefore never expose corrupt bytes under a final name.
 */
public final class VerifyingInputStream extends FilterInputStream {

    private final Hasher hasher;
    private final Digest expected;
    private final String source;
    private boolean checked;

    /** @param source names what is read (a path or object key) for the error message */
    public VerifyingInputStream(InputStream in, HashAlgorithm algorithm, Digest expected, String source) {
        super(in);
        this.hasher = algorithm.newHasher();
        this.expected = expected;
        this.source = source;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            hasher.update(b, off, n);
        } else if (n < 0) {
            verifyOnce();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] sink = new byte[(int) Math.min(n, 8192)];
        int read = read(sink, 0, sink.length);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void verifyOnce() throws DigestMismatchException {
        if (checked) {
            return;
        }
        checked = true;
        Digest actual = hasher.finish();
        if (!actual.equals(expected)) {
            throw new DigestMismatchException(source, expected, actual);
        }
    }
}
