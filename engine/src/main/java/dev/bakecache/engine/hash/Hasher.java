package dev.bakecache.engine.hash;

import java.nio.ByteBuffer;

/** An incremental hash over a stream of bytes that also counts them, so it yields a whole {@link Digest}. */
public interface Hasher {

    void update(byte[] data, int offset, int length);

    default void update(ByteBuffer data) {
        if (data.hasArray()) {
            update(data.array(), data.arrayOffset() + data.position(), data.remaining());
            data.position(data.limit());
        } else {
            byte[] copy = new byte[Math.min(data.remaining(), 64 * 1024)];
            while (data.hasRemaining()) {
                int n = Math.min(copy.length, data.remaining());
                data.get(copy, 0, n);
                update(copy, 0, n);
            }
        }
    }

    /** Ends the hash; the hasher must not be used afterwards. */
    Digest finish();
}
