package org.mispsentinel.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the product proves who it is to Entra ID: the app's client secret or certificate, the
 * managed identity of the Azure resource it runs on (no secret at all), or a federated token file
 * that a platform such as Kubernetes writes and rotates (workload identity federation).
 */
public enum Credential {
    SECRET("secret", "azure.client-secret"),
    CERTIFICATE("certificate", "azure.client-certificate-path"),
    MANAGED_IDENTITY("managed-identity", null),
    WORKLOAD_IDENTITY("workload-identity", "azure.federated-token-file");

    public final String setting;
    /** the setting that holds this credential, or null when the platform holds it */
    public final String source;

    Credential(String setting, String source) {
        this.setting = setting;
        this.source = source;
    }

    /**
     * {@code azure.credential} where it is set; else the one credential whose setting is present.
     * Managed identity is never guessed: a missing secret must not turn into a call to the
     * resource's identity endpoint that the operator did not ask for.
     */
    static Credential read(SettingsReader r) {
        String chosen = r.string("azure.credential", "").toLowerCase(Locale.ROOT);
        if (!chosen.isEmpty()) {
            return Arrays.stream(values()).filter(c -> c.setting.equals(chosen)).findFirst()
                    .orElseThrow(() -> new ConfigurationException(r.keyOf("azure.credential"), "must be one of "
                            + Arrays.stream(values()).map(c -> c.setting).collect(Collectors.joining(", "))));
        }
        List<Credential> present = new ArrayList<>();
        for (Credential c : values()) {
            if (c.source != null && r.optional(c.source).isPresent()) {
                present.add(c);
            }
        }
        if (present.size() == 1) {
            return present.get(0);
        }
        if (present.isEmpty()) {
            throw new ConfigurationException(r.keyOf("azure.credential"), "is not set and no credential is: set "
                    + r.nameOf("azure.client-secret") + ", " + r.nameOf("azure.client-certificate-path") + " or "
                    + r.nameOf("azure.federated-token-file") + ", or set azure.credential=managed-identity");
        }
        throw new ConfigurationException(r.keyOf("azure.credential"), "is not set and several credentials are ("
                + present.stream().map(c -> r.nameOf(c.source)).collect(Collectors.joining(", "))
                + "): set it to one of " + present.stream().map(c -> c.setting).collect(Collectors.joining(", ")));
    }
}
