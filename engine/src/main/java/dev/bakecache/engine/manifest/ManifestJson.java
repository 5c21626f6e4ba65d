package dev.bakecache.engine.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.github.luben.zstd.ZstdCompressCtx;
import dev.bakecache.engine.compress.BlobFormat;
import dev.bakecache.engine.compress.BlobStreams;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Manifest to and from JSON. The canonical form, the one that is signed, is the compact JSON of
 * the manifest without its signature, properties in alphabetical order and lists sorted by path
 * (see {@link ActionResult}); parsing then re-serialising yields the same bytes, so a verifier
 * never depends on how the file was formatted. Unknown properties are rejected rather than
 * silently left outside the signature.
 *
 * <p>Stored, a manifest of {@value #COMPRESS_FROM} bytes or more is one zstd frame (the blob
 * stores' format marker, docs/adr/0002): paths and hex digests shrink about 4x, and a large
 * tree's manifests would otherwise be a sizeable share of what a deduplicated cache stores.
 * Smaller ones stay plain JSON, readable as they are; {@code zstd -dc} reads the others.
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
        return MAPPER.writeValueAsBytes(manifest.signature() == null ? manifest : manifest.withSignature(null));
    }

    /** The file form: canonical JSON with the signature included, one line, newline-terminated. */
    public static byte[] toBytes(ActionResult manifest) {
        return toBytes(canonicalBytes(manifest), manifest.signature());
    }

    /**
     * The file form from the canonical bytes and the signature (null when unsigned). The signature
     * is the last property in alphabetical order, so it is appended to the canonical JSON instead
     * of serialising the manifest a second time (a tenth of an incremental ingest, for a large tree).
     */
    static byte[] toBytes(byte[] canonical, String signature) {
        if (signature == null) {
            byte[] line = Arrays.copyOf(canonical, canonical.length + 1);
            line[canonical.length] = '\n';
            return line;
        }
        byte[] tail = signatureTail(signature);
        byte[] line = Arrays.copyOf(canonical, canonical.length - 1 + tail.length); // drops the closing brace
        System.arraycopy(tail, 0, line, canonical.length - 1, tail.length);
        return line;
    }

    /** Manifests from this many bytes of JSON on are stored compressed. */
    public static final int COMPRESS_FROM = 32 * 1024;

    /** A stored manifest never decompresses to more than this: a corrupt or hostile frame cannot exhaust memory. */
    static final int MAX_JSON_BYTES = 512 << 20;

    /** The stored form: {@link #toBytes}, as one zstd frame when it is large. */
    public static byte[] toStoredBytes(ActionResult manifest) {
        return compressedWhenLarge(toBytes(manifest));
    }

    /** The stored form of the manifest whose canonical bytes and signature (null: unsigned) are given. */
    static byte[] toStoredBytes(byte[] canonical, String signature) {
        return compressedWhenLarge(toBytes(canonical, signature));
    }

    private static byte[] compressedWhenLarge(byte[] json) {
        if (json.length < COMPRESS_FROM) {
            return json;
        }
        // Level 1, not the blobs' 3: on manifest JSON it is both smaller and twice as fast
        // (1046 entries: 46 KB in 0.28 ms against 54 KB in 0.67 ms). With the frame's checksum,
        // damage is caught even where manifests are not signed.
        try (ZstdCompressCtx zstd = new ZstdCompressCtx()) {
            return zstd.setLevel(1).setChecksum(true).compress(json);
        }
    }

    /**
     * Parses a manifest in either stored form.
     *
     * @param source names the file or object, for the error message
     */
    public static ActionResult parse(byte[] stored, String source) {
        return parseFileForm(fileForm(stored, source), source);
    }

    /** The file form (JSON) of a stored manifest: the bytes as they are, or their zstd frame decompressed. */
    static byte[] fileForm(byte[] stored, String source) {
        return BlobFormat.ofStoredBytes(stored, stored.length) == BlobFormat.ZSTD ? decompress(stored, source) : stored;
    }

    static ActionResult parseFileForm(byte[] json, String source) {
        try {
            return MAPPER.readValue(json, ActionResult.class);
        } catch (JacksonException e) {
            Throwable cause = e.getCause() instanceof InvalidManifestException invalid ? invalid : e;
            throw new InvalidManifestException(source + ": not a valid manifest: " + rootMessage(cause), e);
        }
    }

    /**
     * Parses the stored manifest of {@code actionKey}, refusing one that belongs to another key
     * (a file or object copied or renamed under the wrong name).
     */
    public static ActionResult parseFor(String actionKey, byte[] stored, String source) {
        return requireKey(actionKey, parse(stored, source), source);
    }

    static ActionResult requireKey(String actionKey, ActionResult manifest, String source) {
        if (!manifest.actionKey().equals(actionKey)) {
            throw new InvalidManifestException(source + " holds the manifest of '" + manifest.actionKey()
                    + "', not of '" + actionKey + "'");
        }
        return manifest;
    }

    /**
     * How many leading bytes of {@code json}, followed by a closing brace, are the canonical form,
     * when {@code json} is the file form {@link #toBytes} writes for a manifest signed with
     * {@code signature}; -1 for a file formatted any other way or an unsigned manifest.
     */
    static int canonicalPrefixLength(byte[] json, String signature) {
        if (signature == null) {
            return -1;
        }
        byte[] tail = signatureTail(signature);
        int prefix = json.length - tail.length;
        return prefix > 0 && Arrays.equals(json, prefix, json.length, tail, 0, tail.length) ? prefix : -1;
    }

    /** What follows the canonical form, minus its closing brace, in the file form of a signed manifest. */
    private static byte[] signatureTail(String signature) {
        return (",\"signature\":" + MAPPER.writeValueAsString(signature) + "}\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] decompress(byte[] stored, String source) {
        try (InputStream json = BlobStreams.decoding(new ByteArrayInputStream(stored))) {
            byte[] bytes = json.readNBytes(MAX_JSON_BYTES + 1);
            if (bytes.length > MAX_JSON_BYTES) {
                throw new InvalidManifestException(source + ": not a valid manifest: decompresses to more than "
                        + (MAX_JSON_BYTES >> 20) + " MiB");
            }
            return bytes;
        } catch (IOException e) {
            throw new InvalidManifestException(source + ": not a valid manifest: its zstd frame is damaged ("
                    + e.getMessage() + ")", e);
        }
    }

    private static String rootMessage(Throwable t) {
        if (t instanceof JacksonException jackson) {
            return jackson.getOriginalMessage();
        }
        return t.getMessage();
    }
}
