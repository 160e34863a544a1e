package com.microsoft.aad.msal4j;

import java.util.Map;

/**
 * Points msal4j's managed identity support at a loopback stand-in for the tests. msal4j 1.26.0 reads
 * the platform's announcement (IDENTITY_ENDPOINT, IDENTITY_HEADER, MSI_ENDPOINT, ...) through
 * {@code IEnvironmentVariables}, and {@code ManagedIdentityApplication.setEnvironmentVariables} is its
 * package-private hook for replacing the process environment, which is why this class lives in
 * msal4j's package. The hook is global to the JVM: a test sets it and {@link #reset}s it.
 */
public final class ManagedIdentityEnvironment {

    private ManagedIdentityEnvironment() {
    }

    /** Makes msal4j see exactly {@code variables} as the environment. */
    public static void use(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(variables);
        ManagedIdentityApplication.setEnvironmentVariables(copy::get);
    }

    /** Back to the process environment. */
    public static void reset() {
        ManagedIdentityApplication.setEnvironmentVariables(null);
    }
}
