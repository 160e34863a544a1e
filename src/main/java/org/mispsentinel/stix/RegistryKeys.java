package org.mispsentinel.stix;

import java.util.Locale;
import java.util.Map;

/**
 * Registry keys as STIX wants them: the hive written in full. STIX 2.1 (windows-registry-key) asks
 * for the full key including the hive, and the OASIS schema rejects the short forms MISP users
 * write, such as {@code HKLM\Software\...}; Windows itself reads them case-insensitively.
 */
final class RegistryKeys {

    private static final Map<String, String> HIVES = Map.of(
            "HKLM", "HKEY_LOCAL_MACHINE",
            "HKCU", "HKEY_CURRENT_USER",
            "HKCR", "HKEY_CLASSES_ROOT",
            "HKU", "HKEY_USERS",
            "HKCC", "HKEY_CURRENT_CONFIG");

    private RegistryKeys() {
    }

    /**
     * {@code key} with an abbreviated hive at its start written in full; any other key as it is. The
     * abbreviation must be the whole first segment, so {@code HKLMX\...} is left alone; PowerShell's
     * drive form ({@code HKLM:\...}) names the same hive.
     */
    static String withFullHive(String key) {
        int end = 0;
        while (end < key.length() && end < 5 && key.charAt(end) != '\\' && key.charAt(end) != ':') {
            end++;
        }
        String full = HIVES.get(key.substring(0, end).toUpperCase(Locale.ROOT));
        if (full == null) {
            return key;
        }
        int rest = end < key.length() && key.charAt(end) == ':' ? end + 1 : end;
        if (rest < key.length() && key.charAt(rest) != '\\') {
            return key;
        }
        return full + key.substring(rest);
    }
}
