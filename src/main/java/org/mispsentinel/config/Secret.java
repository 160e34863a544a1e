package org.mispsentinel.config;

import java.util.Objects;

/**
 * A secret setting. It prints as a mask everywhere ({@code toString}, logs, dumps), so the only way
 * to the value is an explicit {@link #reveal()} at the point of use.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value);
        Redaction.register(value);
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    public String reveal() {
        return value;
    }

    public char[] revealChars() {
        return value.toCharArray();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret s && java.security.MessageDigest.isEqual(
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8), s.value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return "****";
    }
}
