package dev.bakecache.engine.index;

/** How many entries of one {@link dev.bakecache.engine.store.BlobKind} the index holds, and their sizes. */
public record KindTotals(long count, long size, long storedSize) {

    public static final KindTotals EMPTY = new KindTotals(0, 0, 0);

    KindTotals plus(KindTotals other) {
        return new KindTotals(count + other.count, size + other.size, storedSize + other.storedSize);
    }
}
