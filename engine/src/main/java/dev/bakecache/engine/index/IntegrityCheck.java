package dev.bakecache.engine.index;

/**
 * How thoroughly {@link BlobIndex#openOrRecreate} checks an existing index before trusting it.
 * Both checks read the whole file, so their cost grows with the index: a build's hot path wants
 * {@link #QUICK} or {@link #NONE}, a maintenance job can afford {@link #FULL}.
 */
public enum IntegrityCheck {
    /** Only open it and read the schema version; damage found later surfaces as {@link IndexException#corrupt()}. */
    NONE,
    /** {@code PRAGMA quick_check}: page and record structure, without cross-checking indexes against the table. */
    QUICK,
    /** {@code PRAGMA integrity_check}: everything {@link #QUICK} does, plus index contents and constraints. */
    FULL
}
