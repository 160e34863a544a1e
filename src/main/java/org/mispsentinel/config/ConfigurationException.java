package org.mispsentinel.config;

/**
 * A setting that is missing or wrong. The message names the setting (and its environment variable)
 * and never repeats the value, because the value may be a secret.
 */
public class ConfigurationException extends RuntimeException {

    public ConfigurationException(String setting, String problem) {
        super(setting + " (" + envName(setting) + "): " + problem);
    }

    /** The environment variable Camel's property resolution maps a key to. */
    public static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
