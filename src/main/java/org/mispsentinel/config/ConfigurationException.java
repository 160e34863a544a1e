package org.mispsentinel.config;

import java.util.List;

/**
 * Settings that are missing or wrong, one problem or all of a start's at once. Each problem names
 * the setting (and its environment variable) and never repeats the value, because the value may be
 * a secret.
 */
public class ConfigurationException extends RuntimeException {

    private final List<String> problems;

    public ConfigurationException(String setting, String problem) {
        this(List.of(describe(setting) + ": " + problem));
    }

    private ConfigurationException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, so that one start names them all. */
    public static ConfigurationException all(List<String> problems) {
        return new ConfigurationException(problems);
    }

    /** One line each: the setting, its environment variable, what is wrong. */
    public List<String> problems() {
        return problems;
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
