package org.mispsentinel.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Typed, validated access to settings; every failure names its key and never echoes the value. */
public final class SettingsReader {

    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final PropertyLookup lookup;
    /** {@code workspace.<name>.} for the settings of one workspace, else empty */
    private final String prefix;

    public SettingsReader(PropertyLookup lookup) {
        this(lookup, "");
    }

    private SettingsReader(PropertyLookup lookup, String prefix) {
        this.lookup = lookup;
        this.prefix = prefix;
    }

    /**
     * The settings of one workspace: {@code workspace.<name>.<key>} where it is set, else {@code <key>},
     * so that what all workspaces share is written once.
     */
    public SettingsReader forWorkspace(String name) {
        return new SettingsReader(lookup, "workspace." + name + ".");
    }

    public Optional<String> optional(String key) {
        if (!prefix.isEmpty()) {
            Optional<String> own = find(prefix + key);
            if (own.isPresent()) {
                return own;
            }
        }
        return find(key);
    }

    private Optional<String> find(String key) {
        return lookup.find(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    /**
     * The key an error about {@code key} names: the one whose value is wrong, or for a missing
     * value, the most specific one that could be set.
     */
    public String keyOf(String key) {
        return prefix.isEmpty() || find(key).isPresent() && find(prefix + key).isEmpty() ? key : prefix + key;
    }

    /** {@link #keyOf} with its environment variable, as a message names a setting to fix. */
    public String nameOf(String key) {
        return ConfigurationException.describe(keyOf(key));
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> new ConfigurationException(keyOf(key), "is required but not set"));
    }

    public String string(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    public Secret requiredSecret(String key) {
        return Secret.of(required(key));
    }

    public Optional<Secret> optionalSecret(String key) {
        return optional(key).map(Secret::of);
    }

    public int integer(String key, int fallback, int min, int max) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.get());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(keyOf(key), "must be a whole number");
        }
        if (value < min || value > max) {
            throw new ConfigurationException(keyOf(key), "must be between " + min + " and " + max + ", is " + value);
        }
        return value;
    }

    public boolean bool(String key, boolean fallback) {
        Optional<String> raw = optional(key).map(v -> v.toLowerCase(Locale.ROOT));
        if (raw.isEmpty()) {
            return fallback;
        }
        return switch (raw.get()) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigurationException(keyOf(key), "must be true or false");
        };
    }

    public String guid(String key) {
        String value = required(key);
        if (!GUID.matcher(value).matches()) {
            throw new ConfigurationException(keyOf(key), "must be a GUID such as 00000000-0000-0000-0000-000000000000");
        }
        return value;
    }

    /** An absolute URL without trailing slash; https unless {@code allowHttp}. */
    public String url(String key, String fallback, boolean allowHttp) {
        String value = fallback == null ? required(key) : string(key, fallback);
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigurationException(keyOf(key), "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new ConfigurationException(keyOf(key), "must be an absolute https:// URL with a host");
        }
        if (uri.getUserInfo() != null) {
            throw new ConfigurationException(keyOf(key), "must not carry credentials in the URL");
        }
        if (scheme.equals("http") && !allowHttp) {
            throw new ConfigurationException(keyOf(key), "must use https:// (plain http needs the matching allow-http setting)");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    public List<String> list(String key) {
        return optional(key)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    public Optional<Path> existingFile(String key) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(raw.get());
        if (!java.nio.file.Files.isRegularFile(path) || !java.nio.file.Files.isReadable(path)) {
            throw new ConfigurationException(keyOf(key), "names a file that does not exist or cannot be read: " + path);
        }
        return Optional.of(path);
    }
}
