package dev.bakecache.engine.migrate;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.hash.Hasher;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads one legacy archive as a stream, entry by entry: file, then zstd, then tar. Nothing is
 * extracted to disk and no more than a buffer is held. The archive's own bytes are hashed on the
 * way (SHA-256, {@link #ARCHIVE_DIGEST}), so the migration ledger can recognise it later without
 * a second read. Every failure to read it (corrupt or truncated zstd, a broken tar, a tar that
 * ends without its end-of-archive marker) is a {@link RejectedArchiveException} saying which.
 */
final class LegacyArchiveReader implements AutoCloseable {

    /** The archive's identity in the ledger; SHA-256 is the fastest digest here (docs/adr/0001). */
    static final HashAlgorithm ARCHIVE_DIGEST = HashAlgorithm.SHA256;

    private final HashingStream file;
    private final InputStream zstd;
    private final TarStream tar;
    private final InputStream content;
    private String lastName;

    private LegacyArchiveReader(HashingStream file) throws IOException {
        this.file = file;
        this.zstd = new ZstdInputStreamNoFinalizer(file, RecyclingBufferPool.INSTANCE);
        this.tar = new TarStream(zstd);
        this.content = new RejectingStream(tar);
    }

    static LegacyArchiveReader open(Path archive) throws IOException {
        InputStream in;
        try {
            in = Files.newInputStream(archive);
        } catch (IOException e) {
            throw unreadable(e);
        }
        try {
            return new LegacyArchiveReader(new HashingStream(in));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The archive's digest without parsing it: what {@link #finish} returns after a full read. */
    static Digest digestOf(Path archive) throws IOException {
        try {
            return ARCHIVE_DIGEST.digest(archive);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private static RejectedArchiveException unreadable(IOException e) {
        return new RejectedArchiveException("cannot read the archive: " + e);
    }

    /** The next entry, or null after the last one; the previous entry's unread content is skipped. */
    TarArchiveEntry next() throws RejectedArchiveException {
        TarArchiveEntry entry;
        try {
            entry = tar.getNextEntry();
        } catch (IOException | RuntimeException e) {
            throw rejection(e);
        }
        if (entry == null && !tar.sawEndMarker) {
            // A tar cut at an entry boundary reads like a short one; only the marker tells them apart.
            throw new RejectedArchiveException("truncated tar: the archive ends without its end-of-archive marker"
                    + (lastName == null ? "" : " (last entry read: '" + lastName + "')"));
        }
        lastName = entry == null ? lastName : entry.getName();
        return entry;
    }

    /** The current entry's content, ending with the entry; a read error is a rejection. */
    InputStream content() {
        return content;
    }

    /**
     * Reads what follows the end-of-archive marker (block padding) to the end of the zstd stream,
     * so a damaged or truncated frame is noticed wherever it is, and returns the archive's digest.
     */
    Digest finish() throws IOException {
        try {
            zstd.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw rejection(e);
        }
        file.transferTo(OutputStream.nullOutputStream());
        return file.hasher.finish();
    }

    @Override
    public void close() throws IOException {
        tar.close(); // closes the zstd and file streams beneath
    }

    private RejectedArchiveException rejection(Exception e) {
        String where = lastName == null ? "" : " after entry '" + lastName + "'";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ZstdIOException) {
                return new RejectedArchiveException("corrupt or truncated zstd data" + where + ": " + e.getMessage());
            }
        }
        return new RejectedArchiveException("broken or truncated tar" + where + ": " + e.getMessage());
    }

    /** A tar reader that remembers whether it met the all-zero end-of-archive record. */
    private static final class TarStream extends TarArchiveInputStream {
        private boolean sawEndMarker;

        TarStream(InputStream in) {
            super(in);
        }

        @Override
        protected boolean isEOFRecord(byte[] record) {
            boolean end = super.isEOFRecord(record);
            // The library reports a short read (record == null) as the end too.
            sawEndMarker |= end && record != null;
            return end;
        }
    }

    /** Hashes every byte of the archive file as it is read. */
    private static final class HashingStream extends FilterInputStream {
        private final Hasher hasher = ARCHIVE_DIGEST.newHasher();
        private final byte[] one = new byte[1];

        HashingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                hasher.update(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // skipped bytes must be hashed too
            byte[] discard = new byte[(int) Math.min(Math.max(n, 0), 64 * 1024)];
            return Math.max(0, read(discard, 0, discard.length));
        }
    }

    /** The tar's entry stream with its read errors turned into rejections. */
    private final class RejectingStream extends FilterInputStream {
        RejectingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException | RuntimeException e) {
                throw rejection(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw rejection(e);
            }
        }

        @Override
        public void close() {
            // the entry ends, the archive stays open
        }
    }
}
