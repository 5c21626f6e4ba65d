package dev.bakecache.jobs.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * Renders a kustomization directory as {@code kustomize build} does, for the subset of kustomize
 * that k8s-cronjobs uses: resources (files and bases), a configMapGenerator without hash suffix,
 * JSON 6902 patches with a kind/name target, images and namespace.
 *
 * <p>No registry reachable from our machines ships the kustomize binary, so the tests render
 * themselves; any kustomization key or patch form outside the subset fails instead of being
 * skipped, so this rendering cannot quietly differ from the real one.
 */
final class Kustomization {

    private static final Set<String> SUPPORTED_KEYS = Set.of("apiVersion", "kind", "resources", "configMapGenerator",
            "generatorOptions", "images", "namespace", "patches");
    private static final Set<String> CONTAINER_LISTS = Set.of("containers", "initContainers");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Kustomization() {
    }

    /** The documents {@code kustomize build dir} prints, in no particular order. */
    static List<ObjectNode> render(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        ObjectNode kustomization = readYaml(file).getFirst();
        requireKnownKeys(kustomization, SUPPORTED_KEYS, file, "");
        List<ObjectNode> documents = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            documents.addAll(Files.isDirectory(path) ? render(path) : readYaml(path));
        }
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            documents.add(configMap(dir, generator, kustomization.path("generatorOptions")));
        }
        for (JsonNode patch : kustomization.path("patches")) {
            applyPatch(dir, patch, documents);
        }
        for (JsonNode image : kustomization.path("images")) {
            requireKnownKeys(image, Set.of("name", "newName", "newTag", "digest"), dir, "images.");
            documents.forEach(document -> setImage(document, image));
        }
        if (kustomization.has("namespace")) {
            documents.forEach(document ->
                    ((ObjectNode) document.path("metadata")).put("namespace", kustomization.get("namespace").asText()));
        }
        return documents;
    }

    private static ObjectNode configMap(Path dir, JsonNode generator, JsonNode options) {
        requireKnownKeys(generator, Set.of("name", "files"), dir, "configMapGenerator.");
        requireKnownKeys(options, Set.of("disableNameSuffixHash"), dir, "generatorOptions.");
        if (!options.path("disableNameSuffixHash").asBoolean()) {
            throw new IllegalArgumentException(dir + ": configMapGenerator without generatorOptions.disableNameSuffixHash:"
                    + " the tests do not compute kustomize's name hash");
        }
        ObjectNode configMap = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        configMap.putObject("metadata").put("name", generator.path("name").asText());
        ObjectNode data = configMap.putObject("data");
        for (JsonNode file : generator.path("files")) {
            Path path = dir.resolve(file.asText());
            data.put(path.getFileName().toString(), read(path));
        }
        return configMap;
    }

    private static void applyPatch(Path dir, JsonNode patch, List<ObjectNode> documents) {
        requireKnownKeys(patch, Set.of("path", "target"), dir, "patches.");
        requireKnownKeys(patch.path("target"), Set.of("kind", "name"), dir, "patches.target.");
        Path path = dir.resolve(patch.path("path").asText());
        JsonNode ops = readYaml(path).getFirst().path("ops");
        String kind = patch.path("target").path("kind").asText();
        String name = patch.path("target").path("name").asText(null);
        List<ObjectNode> targets = documents.stream()
                .filter(document -> document.path("kind").asText().equals(kind))
                .filter(document -> name == null || document.path("metadata").path("name").asText().equals(name))
                .toList();
        if (targets.isEmpty()) {
            throw new IllegalArgumentException(path + ": the target " + patch.path("target") + " matches no resource");
        }
        targets.forEach(target -> JsonPatch.apply(target, ops, path));
    }

    private static void requireKnownKeys(JsonNode node, Set<String> known, Path source, String prefix) {
        node.fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(source + ": " + prefix + key + " is not rendered by the tests'"
                        + " Kustomization; add it there before using it");
            }
        });
    }

    /** kustomize's images transformer: a container image named {@code name} gets the new name, tag or digest. */
    private static void setImage(JsonNode node, JsonNode image) {
        node.properties().forEach(field -> {
            if (CONTAINER_LISTS.contains(field.getKey())) {
                for (JsonNode container : field.getValue()) {
                    String current = container.path("image").asText();
                    String currentName = current.replaceFirst("[:@][^/]*$", "");
                    if (currentName.equals(image.path("name").asText())) {
                        String newName = image.path("newName").asText(currentName);
                        String reference = image.has("digest") ? "@" + image.get("digest").asText()
                                : image.has("newTag") ? ":" + image.get("newTag").asText()
                                : current.substring(currentName.length());
                        ((ObjectNode) container).put("image", newName + reference);
                    }
                }
            }
            setImage(field.getValue(), image);
        });
        if (node instanceof ArrayNode array) {
            array.forEach(element -> setImage(element, image));
        }
    }

    /**
     * Every YAML document in the file; a top-level list (a JSON 6902 patch) comes back as
     * {@code {"ops": [...]}}.
     */
    static List<ObjectNode> readYaml(Path file) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        return StreamSupport.stream(yaml.loadAll(read(file)).spliterator(), false)
                .filter(document -> document != null)
                .map(document -> document instanceof List<?> list
                        ? JSON.createObjectNode().set("ops", JSON.valueToTree(list))
                        : (ObjectNode) JSON.valueToTree(document))
                .toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
