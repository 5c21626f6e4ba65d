package dev.bakecache.engine.progress;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeyPagesTest {

    private static final List<String> KEYS = List.of("a", "c", "e", "g", "i");

    @Test
    void pagesFollowTheCursorWhetherOrNotItIsStillAKey() {
        assertThat(KeyPages.after(KEYS, null, 2)).containsExactly("a", "c");
        assertThat(KeyPages.after(KEYS, "c", 2)).containsExactly("e", "g");
        assertThat(KeyPages.after(KEYS, "d", 2)).as("a key removed since it was saved").containsExactly("e", "g");
        assertThat(KeyPages.after(KEYS, "g", 2)).containsExactly("i");
        assertThat(KeyPages.after(KEYS, "i", 2)).isEmpty();
    }
}
