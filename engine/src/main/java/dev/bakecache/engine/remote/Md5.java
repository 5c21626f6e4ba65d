package dev.bakecache.engine.remote;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The MD5 both providers check uploads against (S3's Content-MD5, GCS's md5Hash): not for
 * security, only to catch bytes damaged on the way.
 */
final class Md5 {

    private Md5() {
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    /** The base64 form both providers use, of what {@code md5} has seen. */
    static String base64(MessageDigest md5) {
        return Base64.getEncoder().encodeToString(md5.digest());
    }

    static String base64(byte[] bytes) {
        MessageDigest md5 = newDigest();
        md5.update(bytes);
        return base64(md5);
    }
}
