package dev.bakecache.engine.manifest;

/**
 * The rules every path in a manifest obeys, checked when a manifest is built or parsed so that a
 * restore can never be steered outside its target directory: relative, '/'-separated, no empty,
 * '.' or '..' segments, no NUL. Symlink targets must stay inside the output tree too.
 */
public final class OutputPaths {

    private OutputPaths() {
    }

    /** Null when {@code path} is a safe relative output path, otherwise why it is not. */
    public static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "path is empty";
        }
        if (path.indexOf('\0') >= 0) {
            return "path '" + printable(path) + "' contains a NUL character";
        }
        if (path.startsWith("/")) {
            return "path '" + path + "' is absolute; output paths must be relative";
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                return "path '" + path + "' has an empty segment (leading, trailing or double '/')";
            }
            if (segment.equals("..")) {
                return "path '" + path + "' contains '..'; output paths must stay inside the output tree";
            }
            if (segment.equals(".")) {
                return "path '" + path + "' contains a '.' segment; write it without";
            }
        }
        return null;
    }

    /**
     * Null when a symlink at {@code linkPath} pointing to {@code target} stays inside the output
     * tree, otherwise why it does not.
     */
    public static String symlinkProblem(String linkPath, String target) {
        if (target == null || target.isEmpty()) {
            return "symlink '" + linkPath + "' has an empty target";
        }
        if (target.startsWith("/")) {
            return "symlink '" + linkPath + "' points to absolute path '" + target + "', outside the output tree";
        }
        int depth = linkPath.split("/").length - 1; // directories above the link inside the tree
        for (String segment : target.split("/")) {
            if (segment.equals("..")) {
                depth--;
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                depth++;
            }
            if (depth < 0) {
                return "symlink '" + linkPath + "' points to '" + target + "', outside the output tree";
            }
        }
        return null;
    }

    /** Null when {@code key} can name a manifest file ({@code ac/<key>.json}), otherwise why not. */
    public static String actionKeyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return "action key is empty";
        }
        if (key.length() > 200) {
            return "action key is " + key.length() + " characters long, at most 200 are allowed";
        }
        if (key.startsWith(".")) {
            return "action key '" + key + "' must not start with '.'";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.';
            if (!allowed) {
                return "action key '" + printable(key) + "' has '" + printable(String.valueOf(c))
                        + "' at position " + i + "; use letters, digits, '-', '_' and '.'";
            }
        }
        return null;
    }

    private static String printable(String s) {
        return s.replace("\0", "\\0");
    }
}
