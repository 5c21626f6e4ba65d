package dev.bakecache.jobs.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a rendered manifest into fabric8's Kubernetes model and rejects any field the model does not
 * know and any value of the wrong type: a misspelt {@code concurencyPolicy} would be dropped by the
 * API server (or refused, under strict field validation) and the job would silently run with the
 * default; {@code args: [--partitions, 4]} is refused by the API server, which wants strings there.
 *
 * <p>This is validation against the Kubernetes API schema: fabric8's model classes are generated
 * from the OpenAPI schema the API server publishes (fabric8 7.4: Kubernetes 1.33), one class per
 * schema definition, one property per field, with the field's type. So a field exists in the model
 * exactly when Kubernetes 1.33 has it where it is written ({@code backoffLimitPerIndex},
 * {@code FailIndex}, {@code onPodConditions} included), and reading into the model with unknown
 * fields rejected and no scalar coercion checks what the API server's strict field validation
 * ({@code kubectl apply --validate=strict}) checks against the same schema. fabric8 keeps unknown
 * fields in each object's additional properties instead of failing, so the whole object tree is
 * walked for them. What the API server validates in code rather than in the schema (allowed enum
 * values, required fields, rules across fields such as FailIndex needing backoffLimitPerIndex) is
 * not checked here; the manifest tests assert what the manifests rely on.
 */
final class KubernetesModel {

    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "batch/v1 CronJob", CronJob.class,
            "batch/v1 Job", Job.class,
            "v1 ConfigMap", ConfigMap.class,
            "v1 PersistentVolumeClaim", PersistentVolumeClaim.class,
            "v1 ServiceAccount", ServiceAccount.class);
    /** JSON types as the API server reads them: no "2" for 2, no 2 for "2", no 1.5 for 1. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, strings -> strings
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

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
        } catch (IllegalArgumentException | JsonProcessingException e) {
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
