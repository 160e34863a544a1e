package org.mispsentinel.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret values of this process (settings wrapped in {@link Secret}, access tokens), so that
 * log output can mask them should a library ever print one. A safety net only: the code keeps
 * secrets out of messages in the first place.
 *
 * <p>Secret settings are few and fixed, and are kept for the life of the process. Tokens are
 * renewed every hour, so only the latest few of each identity (app registration) are kept: a run of
 * a year must neither grow without bound nor, to make room, forget the settings. Each identity
 * holds its own live token, so the count is per identity: with many workspaces, one identity's
 * renewals must not push another's live token out of the mask.
 */
public final class Redaction {

    private static final int MIN_LENGTH = 6;
    /** the live token and the one before it, which a request sent just before the renewal may still carry */
    static final int RECENT_TOKENS_PER_IDENTITY = 2;
    private static final Set<String> SETTINGS = ConcurrentHashMap.newKeySet();
    private static final Map<String, Deque<String>> TOKENS = new HashMap<>();
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

    /**
     * An access token of {@code identity}: masked while it is one of that identity's latest few.
     *
     * @param identity the app registration the token was issued to (tenant and client id)
     */
    public static void registerToken(String identity, String token) {
        if (token == null || token.length() < MIN_LENGTH) {
            return;
        }
        synchronized (TOKENS) {
            Deque<String> recent = TOKENS.computeIfAbsent(identity, k -> new ArrayDeque<>());
            recent.remove(token);
            recent.addFirst(token);
            while (recent.size() > RECENT_TOKENS_PER_IDENTITY) {
                recent.removeLast();
            }
            reorder();
        }
    }

    private static void reorder() {
        List<String> all = new ArrayList<>(SETTINGS);
        TOKENS.values().forEach(all::addAll);
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
