package dev.bakecache.engine.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;

/**
 * Manifest to and from JSON. The canonical form, the one that is signed, is the compact JSON of
 * the manifest without its signature, properties in alphabetical order and lists sorted by path
 * (see {@link ActionResult}); parsing then re-serialising yields the same bytes, so a verifier
 * never depends on how the file was formatted. Unknown properties are rejected rather than
 * silently left outside the signature.
 */
public final class ManifestJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private ManifestJson() {
    }

    /** The bytes an HMAC is computed over: the manifest minus its signature. */
    public static byte[] canonicalBytes(ActionResult manifest) {
        return MAPPER.writeValueAsBytes(manifest.withSignature(null));
    }

    /** The file form: canonical JSON with the signature included, one line, newline-terminated. */
    public static byte[] toBytes(ActionResult manifest) {
        String json = MAPPER.writeValueAsString(manifest) + "\n";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** @param source names the file or object, for the error message */
    public static ActionResult parse(byte[] json, String source) {
        try {
            return MAPPER.readValue(json, ActionResult.class);
        } catch (JacksonException e) {
            Throwable cause = e.getCause() instanceof InvalidManifestException invalid ? invalid : e;
            throw new InvalidManifestException(source + ": not a valid manifest: " + rootMessage(cause), e);
        }
    }

    private static String rootMessage(Throwable t) {
        if (t instanceof JacksonException jackson) {
            return jackson.getOriginalMessage();
        }
        return t.getMessage();
    }
}
