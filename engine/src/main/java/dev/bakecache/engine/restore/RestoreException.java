package dev.bakecache.engine.restore;

import java.io.IOException;

/**
 * A restore that did not (fully) happen: an unsafe target, a missing or corrupt blob, a manifest
 * that cannot be laid out on disk. The message names the manifest's action key and, when one entry
 * is at fault, its path, e.g. {@code restore of 'app-build' failed at 'dist/app.js': ...}.
 */
public class RestoreException extends IOException {

    private final String actionKey;
    private final String path;

    /**
     * @param actionKey the manifest being restored
     * @param path      the manifest path at fault, or null when the whole restore is
     * @param problem   what went wrong, as a sentence fragment
     */
    public RestoreException(String actionKey, String path, String problem, Throwable cause) {
        super("restore of '" + actionKey + "' failed" + (path == null ? "" : " at '" + path + "'") + ": " + problem,
                cause);
        this.actionKey = actionKey;
        this.path = path;
    }

    public RestoreException(String actionKey, String path, String problem) {
        this(actionKey, path, problem, null);
    }

    public String actionKey() {
        return actionKey;
    }

    /** The manifest path at fault, or null when the failure is not about one entry. */
    public String path() {
        return path;
    }

    /** A cause as the messages of this package quote it: its type, and its message when it has one. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        String type = e.getClass().getSimpleName();
        return message == null ? type : type + ": " + message;
    }
}
