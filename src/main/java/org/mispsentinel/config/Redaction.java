package org.mispsentinel.config;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret values of this process (settings wrapped in {@link Secret}, access tokens), so that
 * log output can mask them should a library ever print one. A safety net only: the code keeps
 * secrets out of messages in the first place.
 */
public final class Redaction {

    private static final int MIN_LENGTH = 6;
    private static final int MAX_VALUES = 64;
    private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();

    private Redaction() {
    }

    public static void register(String secret) {
        if (secret != null && secret.length() >= MIN_LENGTH) {
            if (VALUES.size() >= MAX_VALUES) {
                // tokens come and go: forget old ones rather than grow without bound
                VALUES.clear();
            }
            VALUES.add(secret);
        }
    }

    public static String apply(String text) {
        if (text == null || VALUES.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : VALUES) {
            if (out.contains(secret)) {
                out = out.replace(secret, "****");
            }
        }
        return out;
    }
}
