package dev.bakecache.jobs.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;

/**
 * The add, replace and remove operations of JSON Patch (RFC 6902), the patch form the overlays use.
 * Like kustomize, a replace or remove of a path that is not there is an error, so a patch that
 * no longer fits its base fails the render.
 */
final class JsonPatch {

    private JsonPatch() {
    }

    static void apply(ObjectNode target, JsonNode ops, Path source) {
        if (!ops.isArray()) {
            throw new IllegalArgumentException(source + ": not a JSON 6902 patch (a list of ops); strategic-merge"
                    + " patches are not rendered by the tests");
        }
        for (JsonNode op : ops) {
            String path = op.path("path").asText();
            String[] tokens = path.substring(1).split("/", -1);
            JsonNode parent = target;
            for (int i = 0; i < tokens.length - 1; i++) {
                parent = child(parent, unescape(tokens[i]));
                if (parent == null) {
                    throw new IllegalArgumentException(source + ": " + path + " is not in "
                            + target.path("metadata").path("name").asText());
                }
            }
            String last = unescape(tokens[tokens.length - 1]);
            String kind = op.path("op").asText();
            switch (kind) {
                case "add" -> add(parent, last, op.get("value"));
                case "replace", "remove" -> {
                    if (child(parent, last) == null) {
                        throw new IllegalArgumentException(source + ": " + kind + " " + path + ": not in "
                                + target.path("metadata").path("name").asText());
                    }
                    remove(parent, last);
                    if (kind.equals("replace")) {
                        add(parent, last, op.get("value"));
                    }
                }
                default -> throw new IllegalArgumentException(source + ": op '" + kind + "' is not rendered by the tests");
            }
        }
    }

    private static JsonNode child(JsonNode parent, String token) {
        if (parent instanceof ArrayNode array) {
            return token.matches("\\d+") ? array.get(Integer.parseInt(token)) : null;
        }
        return parent.get(token);
    }

    private static void add(JsonNode parent, String token, JsonNode value) {
        if (parent instanceof ArrayNode array) {
            if (token.equals("-")) {
                array.add(value);
            } else {
                array.insert(Integer.parseInt(token), value);
            }
        } else {
            ((ObjectNode) parent).set(token, value);
        }
    }

    private static void remove(JsonNode parent, String token) {
        if (parent instanceof ArrayNode array) {
            array.remove(Integer.parseInt(token));
        } else {
            ((ObjectNode) parent).remove(token);
        }
    }

    private static String unescape(String token) {
        return token.replace("~1", "/").replace("~0", "~");
    }
}
