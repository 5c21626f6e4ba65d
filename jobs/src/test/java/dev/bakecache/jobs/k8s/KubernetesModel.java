package dev.bakecache.jobs.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a rendered manifest into fabric8's Kubernetes model and rejects any field the model does not
 * know. fabric8 keeps unknown fields in each object's additional properties instead of failing, so
 * the whole object tree is walked for them: a misspelt {@code concurencyPolicy} would otherwise be
 * dropped by the API server and the job would silently run with the default.
 */
final class KubernetesModel {

    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "batch/v1 CronJob", CronJob.class,
            "v1 ConfigMap", ConfigMap.class,
            "v1 PersistentVolumeClaim", PersistentVolumeClaim.class,
            "v1 ServiceAccount", ServiceAccount.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private KubernetesModel() {
    }

    /** @throws IllegalArgumentException naming the document and every unknown field path */
    static HasMetadata parse(JsonNode manifest) {
        String apiKind = manifest.path("apiVersion").asText() + " " + manifest.path("kind").asText();
        String name = apiKind + " " + manifest.path("metadata").path("name").asText();
        Class<? extends HasMetadata> type = KINDS.get(apiKind);
        if (type == null) {
            throw new IllegalArgumentException(name + ": not a kind the k8s-cronjobs checks know; add it to "
                    + KubernetesModel.class.getSimpleName() + ".KINDS");
        }
        HasMetadata parsed;
        try {
            parsed = JSON.treeToValue(manifest, type);
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        collectUnknownFields(parsed, "", unknown);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(name + ": unknown fields " + unknown);
        }
        return parsed;
    }

    private static void collectUnknownFields(Object value, String path, List<String> unknown) {
        switch (value) {
            case null -> {
            }
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    collectUnknownFields(list.get(i), path + "[" + i + "]", unknown);
                }
            }
            case Map<?, ?> map -> map.forEach((key, element) -> collectUnknownFields(element, path + "." + key, unknown));
            default -> {
                if (value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
                    collectModelFields(value, path, unknown);
                }
            }
        }
    }

    private static void collectModelFields(Object model, String path, List<String> unknown) {
        for (Method getter : model.getClass().getMethods()) {
            boolean isGetter = getter.getParameterCount() == 0 && getter.getName().startsWith("get")
                    && !Modifier.isStatic(getter.getModifiers()) && getter.getDeclaringClass() != Object.class;
            if (!isGetter) {
                continue;
            }
            Object property = invoke(getter, model);
            if (getter.getName().equals("getAdditionalProperties")) {
                ((Map<?, ?>) property).keySet().forEach(key -> unknown.add((path + "." + key).substring(1)));
            } else {
                collectUnknownFields(property, path + "." + propertyName(getter), unknown);
            }
        }
    }

    private static String propertyName(Method getter) {
        String name = getter.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static Object invoke(Method getter, Object model) {
        try {
            return getter.invoke(model);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + getter + " of " + model.getClass().getName(), e);
        }
    }
}
