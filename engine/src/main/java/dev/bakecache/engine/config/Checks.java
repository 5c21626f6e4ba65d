package dev.bakecache.engine.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the problems a record's constructor finds so that all of them are reported together,
 * rather than only the first.
 */
final class Checks {

    private final List<ConfigException.Problem> problems = new ArrayList<>();

    /** Records {@code message} under {@code key} unless {@code ok}. Returns {@code ok}. */
    boolean require(boolean ok, String key, String message) {
        if (!ok) {
            problems.add(new ConfigException.Problem(key, message));
        }
        return ok;
    }

    void add(String key, String message) {
        problems.add(new ConfigException.Problem(key, message));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(null, problems);
        }
    }
}
