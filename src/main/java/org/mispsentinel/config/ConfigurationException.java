package org.mispsentinel.config;

/**
 * A setting that is missing or wrong. The message names the setting (and its environment variable)
 * and never repeats the value, because the value may be a secret.
 */
public class ConfigurationException extends RuntimeException {

    public ConfigurationException(String setting, String problem) {
        super(describe(setting) + ": " + problem);
    }

    /** A setting as messages name it: its key and the environment variable that sets it. */
    public static String describe(String key) {
        return key + " (" + envName(key) + ")";
    }

    /** The environment variable Camel's property resolution maps a key to. */
    public static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
