package org.mispsentinel.stix;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Indicator ids: the MISP uuid itself, or a name-based UUID for the extra indicators of a paired value. */
final class StixIds {

    /**
     * Fixed namespace of the derived ids. Changing it changes every derived id, which would make
     * Sentinel hold the old and the new indicator side by side.
     */
    static final String NAMESPACE = "3c1c2d5e-8f0a-4b7e-9d61-2a4f7e5b9c03";

    private static final byte[] NAMESPACE_BYTES = uuidBytes(NAMESPACE);
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    });

    private StixIds() {
    }

    /**
     * MISP uuids are not always version 4 and some instances hold upper-case ones, so only the
     * 8-4-4-4-12 hex shape is checked and the text is kept as it is.
     */
    static boolean isUuidShape(String s) {
        if (s == null || s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** RFC 4122 version-5 UUID of {@code attributeUuid + "/" + part} in {@link #NAMESPACE}. */
    static String derived(String attributeUuid, String part) {
        return nameBasedV5(NAMESPACE_BYTES, attributeUuid + "/" + part);
    }

    static String nameBasedV5(byte[] namespace, String name) {
        MessageDigest sha1 = SHA1.get();
        sha1.reset();
        sha1.update(namespace);
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        char[] out = new char[36];
        int at = 0;
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                out[at++] = '-';
            }
            out[at++] = HEX[(hash[i] >> 4) & 0x0f];
            out[at++] = HEX[hash[i] & 0x0f];
        }
        return new String(out);
    }

    static byte[] uuidBytes(String uuid) {
        byte[] out = new byte[16];
        int at = 0;
        for (int i = 0; i < uuid.length(); i += 2) {
            if (uuid.charAt(i) == '-') {
                i--;
                continue;
            }
            out[at++] = (byte) ((Character.digit(uuid.charAt(i), 16) << 4) | Character.digit(uuid.charAt(i + 1), 16));
        }
        return out;
    }
}
