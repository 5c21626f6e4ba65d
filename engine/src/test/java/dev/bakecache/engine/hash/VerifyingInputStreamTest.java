package dev.bakecache.engine.hash;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerifyingInputStreamTest {

    @Test
    void matchingContentReadsToTheEnd() throws Exception {
        byte[] data = "hello".getBytes();
        try (InputStream in = new VerifyingInputStream(new ByteArrayInputStream(data), HashAlgorithm.BLAKE3,
                HashAlgorithm.BLAKE3.digest(data), "test")) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void tamperedContentFailsAtEndOfStream() {
        Digest expected = HashAlgorithm.BLAKE3.digest("hello".getBytes());
        InputStream in = new VerifyingInputStream(new ByteArrayInputStream("jello".getBytes()),
                HashAlgorithm.BLAKE3, expected, "blob-x");
        assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream()))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining("blob-x").hasMessageContaining(expected.toString());
    }
}
