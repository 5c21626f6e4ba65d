package dev.bakecache.engine.compress;

import com.github.luben.zstd.Zstd;
import dev.bakecache.engine.config.CompressionConfig;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CompressionPolicyTest {

    private final CompressionPolicy policy = CompressionPolicy.defaults();

    private static byte[] text(int size) {
        StringBuilder sb = new StringBuilder();
        Random random = new Random(1);
        while (sb.length() < size) {
            sb.append("export function component").append(random.nextInt(100)).append("() { return null; }\n");
        }
        return sb.substring(0, size).getBytes();
    }

    @Test
    void compressibleTextAboveThresholdIsCompressed() {
        byte[] data = text(64 * 1024);
        CompressionPolicy.Choice choice = policy.choose(data.length, data);
        assertThat(choice.format()).isEqualTo(BlobFormat.ZSTD);
        assertThat(Zstd.decompress(choice.compressedHead(), data.length)).isEqualTo(data);
    }

    @Test
    void blobsBelowThresholdStayRaw() {
        byte[] data = text(1000);
        assertThat(policy.choose(data.length, data).format()).isEqualTo(BlobFormat.RAW);
    }

    @Test
    void randomBytesFailTheRatioCheckAndStayRaw() {
        byte[] data = new byte[64 * 1024];
        new Random(3).nextBytes(data);
        assertThat(policy.choose(data.length, data).format()).isEqualTo(BlobFormat.RAW);
    }

    @Test
    void alreadyCompressedFormatsStayRaw() {
        byte[] gzipLike = text(64 * 1024);
        gzipLike[0] = 0x1F;
        gzipLike[1] = (byte) 0x8B;
        assertThat(policy.choose(gzipLike.length, gzipLike).format()).isEqualTo(BlobFormat.RAW);
        byte[] zipLike = text(64 * 1024);
        System.arraycopy(new byte[] {0x50, 0x4B, 0x03, 0x04}, 0, zipLike, 0, 4);
        assertThat(policy.choose(zipLike.length, zipLike).format()).isEqualTo(BlobFormat.RAW);
        CompressionPolicy noDetection = new CompressionPolicy(new CompressionConfig(true, 0, 3, false));
        assertThat(noDetection.choose(zipLike.length, zipLike).format()).isEqualTo(BlobFormat.ZSTD);
    }

    @Test
    void contentStartingWithZstdMagicIsAlwaysStoredAsZstd() {
        byte[] zst = Zstd.compress(text(100), 3);
        assertThat(CompressionPolicy.disabled().choose(zst.length, zst).format()).isEqualTo(BlobFormat.ZSTD);
    }

    @Test
    void disabledPolicyKeepsEverythingRaw() {
        byte[] data = text(64 * 1024);
        assertThat(CompressionPolicy.disabled().choose(data.length, data).format()).isEqualTo(BlobFormat.RAW);
    }

}
