package org.mispsentinel.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret values of this process (settings wrapped in {@link Secret}, access tokens), so that
 * log output can mask them should a library ever print one. A safety net only: the code keeps
 * secrets out of messages in the first place.
 *
 * <p>Secret settings are few and fixed, and are kept for the life of the process. Tokens are
 * renewed every hour, so only the latest few are kept: a run of a year must neither grow without
 * bound nor, to make room, forget the settings.
 */
public final class Redaction {

    private static final int MIN_LENGTH = 6;
    static final int RECENT_TOKENS = 4;
    private static final Set<String> SETTINGS = ConcurrentHashMap.newKeySet();
    private static final Deque<String> TOKENS = new ArrayDeque<>();
    // longest first: a secret that happens to be part of another must not leave the rest of it bare
    private static volatile List<String> longestFirst = List.of();

    private Redaction() {
    }

    /** A secret setting: masked until the process ends. */
    public static void register(String secret) {
        if (secret != null && secret.length() >= MIN_LENGTH && SETTINGS.add(secret)) {
            synchronized (TOKENS) {
                reorder();
            }
        }
    }

    /** An access token: masked while it is one of the latest few. */
    public static void registerToken(String token) {
        if (token == null || token.length() < MIN_LENGTH) {
            return;
        }
        synchronized (TOKENS) {
            TOKENS.remove(token);
            TOKENS.addFirst(token);
            while (TOKENS.size() > RECENT_TOKENS) {
                TOKENS.removeLast();
            }
            reorder();
        }
    }

    private static void reorder() {
        List<String> all = new ArrayList<>(SETTINGS);
        all.addAll(TOKENS);
        all.sort(Comparator.comparingInt(String::length).reversed());
        longestFirst = List.copyOf(all);
    }

    public static String apply(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : longestFirst) {
            out = mask(out, secret);
        }
        return out;
    }

    private static String mask(String text, String secret) {
        return text.contains(secret) ? text.replace(secret, "****") : text;
    }
}
