package org.mispsentinel.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Azure cloud the workspace lives in. Authority, token scope and API host differ between
 * clouds and must match each other: a token from one cloud is refused by the API of another.
 * Microsoft documents the Upload Indicators API only on the commercial cloud's host.
 */
public enum Cloud {
    COMMERCIAL("commercial", "https://login.microsoftonline.com", "https://management.azure.com/.default",
            "https://api.ti.sentinel.azure.com", "https://sentinelus.azure-api.net"),
    US_GOVERNMENT("us-government", "https://login.microsoftonline.us", "https://management.usgovcloudapi.net/.default",
            "https://api.ti.sentinel.azure.us", null),
    CHINA("china", "https://login.chinacloudapi.cn", "https://management.chinacloudapi.cn/.default",
            "https://api.ti.sentinel.azure.cn", null);

    public final String setting;
    public final String authorityHost;
    public final String scope;
    public final String stixObjectsHost;
    /** null where Microsoft documents no host for the legacy API */
    public final String indicatorsHost;

    Cloud(String setting, String authorityHost, String scope, String stixObjectsHost, String indicatorsHost) {
        this.setting = setting;
        this.authorityHost = authorityHost;
        this.scope = scope;
        this.stixObjectsHost = stixObjectsHost;
        this.indicatorsHost = indicatorsHost;
    }

    static Cloud read(SettingsReader r) {
        String value = r.string("azure.cloud", COMMERCIAL.setting).toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.setting.equals(value)).findFirst()
                .orElseThrow(() -> new ConfigurationException(r.keyOf("azure.cloud"), "must be one of "
                        + Arrays.stream(values()).map(c -> c.setting).collect(Collectors.joining(", "))));
    }

    /** The documented host of the chosen API, or null when there is none in this cloud. */
    String apiHost(boolean stixObjectsApi) {
        return stixObjectsApi ? stixObjectsHost : indicatorsHost;
    }
}
