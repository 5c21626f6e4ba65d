package dev.bakecache.engine.store;

import dev.bakecache.engine.hash.Digest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a tier's own store does beyond any {@link BlobStore}: listing, and copies in stored form
 * ({@link TierBlobStore}). Subclasses open a {@link TierBlobStore}.
 */
public abstract class TierBlobStoreContract extends BlobStoreContract {

    protected TierBlobStore tier() {
        return (TierBlobStore) store;
    }

    @Test
    void listSeesEveryStoredBlobWithItsStoredSize() throws IOException {
        Digest a = put(text(100_000, 6));
        Digest b = put(random(20_000, 7));
        try (var listing = tier().list()) {
            assertThat(listing.toList())
                    .extracting(StoredBlob::hash, StoredBlob::storedSize)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(a.hash(), (long) storedBytes(a).length),
                            org.assertj.core.groups.Tuple.tuple(b.hash(), (long) storedBytes(b).length));
        }
    }

    @Test
    void listShardSeesOnlyTheBlobsOfThatShard() throws IOException {
        List<Digest> stored = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            stored.add(put(("shard blob " + i).getBytes()));
        }
        String shard = stored.getFirst().shardPrefix();
        try (var listing = tier().listShard(shard)) {
            assertThat(listing.map(StoredBlob::hash).toList()).containsExactlyInAnyOrderElementsOf(
                    stored.stream().filter(d -> d.shardPrefix().equals(shard)).map(Digest::hash).toList());
        }
        String emptyShard = java.util.stream.IntStream.range(0, 256).mapToObj(i -> "%02x".formatted(i))
                .filter(s -> stored.stream().noneMatch(d -> d.shardPrefix().equals(s))).findFirst().orElseThrow();
        try (var listing = tier().listShard(emptyShard)) {
            assertThat(listing).isEmpty();
        }
    }

    @Test
    void storedFormCopiedIntoAnotherStoreReadsBackAsTheSameBlob() throws IOException {
        byte[] compressible = text(200_000, 11);
        byte[] incompressible = random(30_000, 12);
        TierBlobStore copy = (TierBlobStore) openEmptyStore(root.resolve("copy"));
        for (byte[] data : List.of(compressible, incompressible)) {
            Digest digest = put(data);
            try (InputStream stored = tier().openStored(digest.hash())) {
                assertThat(copy.putStored(digest.hash(), stored)).isEqualTo(digest);
            }
            try (InputStream in = copy.get(digest)) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            try (InputStream original = tier().openStored(digest.hash());
                 InputStream copied = copy.openStored(digest.hash())) {
                assertThat(copied.readAllBytes()).isEqualTo(original.readAllBytes());
            }
        }
    }

    @Test
    void putStoredRefusesBytesThatDoNotHashToTheirNameAndStoresNothing() throws IOException {
        Digest digest = ALGORITHM.digest("the real content".getBytes());
        assertThatThrownBy(() -> tier().putStored(digest.hash(), new ByteArrayInputStream("forged".getBytes())))
                .isInstanceOf(BlobCorruptedException.class)
                .hasMessageContaining(digest.hash());
        assertThat(store.contains(digest)).isFalse();
        assertThat(stagingDir()).isEmptyDirectory();
    }

    @Test
    void openStoredOfAMissingBlobThrowsBlobNotFound() {
        String missing = ALGORITHM.digest("nope".getBytes()).hash();
        assertThatThrownBy(() -> tier().openStored(missing))
                .isInstanceOf(BlobNotFoundException.class)
                .hasMessageContaining(missing);
    }
}
