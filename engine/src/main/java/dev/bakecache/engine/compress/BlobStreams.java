package dev.bakecache.engine.compress;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Wraps the streams that write and read a blob file in the given {@link BlobFormat}. */
public final class BlobStreams {

    private BlobStreams() {
    }

    /** A stream that turns content written to it into the stored form of {@code format}. */
    public static OutputStream encoding(BlobFormat format, int level, OutputStream stored) throws IOException {
        return switch (format) {
            case RAW -> stored;
            case ZSTD -> new ZstdOutputStreamNoFinalizer(stored, RecyclingBufferPool.INSTANCE, level);
        };
    }

    /** Reads a blob file's content back, deciding the format from the file's leading bytes. */
    public static InputStream decoding(InputStream stored) throws IOException {
        BufferedInputStream in = stored instanceof BufferedInputStream b ? b : new BufferedInputStream(stored, 64 * 1024);
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        return switch (BlobFormat.ofStoredBytes(head, head.length)) {
            case RAW -> in;
            case ZSTD -> new ZstdInputStreamNoFinalizer(in, RecyclingBufferPool.INSTANCE);
        };
    }
}
