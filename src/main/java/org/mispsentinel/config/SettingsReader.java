package org.mispsentinel.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Typed, validated access to settings; every failure names its key and never echoes the value.
 *
 * <p>A reader made by {@link #collecting} notes each failure and goes on with a stand-in value, so
 * that one start names every wrong setting; {@link #throwProblems()} then ends it. Any other reader
 * throws at the first.
 */
public final class SettingsReader {

    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final PropertyLookup lookup;
    /** {@code workspace.<name>.} for the settings of one workspace, else empty */
    private final String prefix;
    /** setting key -> its problem, in the order found; null: throw at once */
    private final Map<String, String> problems;

    public SettingsReader(PropertyLookup lookup) {
        this(lookup, "", null);
    }

    private SettingsReader(PropertyLookup lookup, String prefix, Map<String, String> problems) {
        this.lookup = lookup;
        this.prefix = prefix;
        this.problems = problems;
    }

    /** A reader that notes every failure instead of throwing at the first. */
    public static SettingsReader collecting(PropertyLookup lookup) {
        return new SettingsReader(lookup, "", new LinkedHashMap<>());
    }

    /**
     * A setting is wrong: thrown at once, or noted (once a key) with {@code fallback} returned so that
     * reading goes on.
     */
    public <T> T problem(String key, String problem, T fallback) {
        ConfigurationException e = new ConfigurationException(key, problem);
        if (problems == null) {
            throw e;
        }
        problems.putIfAbsent(key, e.problems().get(0));
        return fallback;
    }

    /** Notes a failure a part of the settings threw (or throws it, for a reader that does not collect). */
    public void problem(ConfigurationException e) {
        if (problems == null) {
            throw e;
        }
        e.problems().forEach(p -> problems.putIfAbsent(p, p));
    }

    /** @throws ConfigurationException every problem noted, one each */
    public void throwProblems() {
        if (problems != null && !problems.isEmpty()) {
            throw ConfigurationException.all(List.copyOf(problems.values()));
        }
    }

    /**
     * The settings of one workspace: {@code workspace.<name>.<key>} where it is set, else {@code <key>},
     * so that what all workspaces share is written once.
     */
    public SettingsReader forWorkspace(String name) {
        return new SettingsReader(lookup, "workspace." + name + ".", problems);
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
        Optional<String> value = optional(key);
        return value.isPresent() ? value.get() : problem(keyOf(key), "is required but not set", "");
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
            return problem(keyOf(key), "must be a whole number", fallback);
        }
        if (value < min || value > max) {
            return problem(keyOf(key), "must be between " + min + " and " + max + ", is " + value, fallback);
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
            default -> problem(keyOf(key), "must be true or false", fallback);
        };
    }

    public String guid(String key) {
        String value = required(key);
        if (!value.isEmpty() && !GUID.matcher(value).matches()) {
            return problem(keyOf(key), "must be a GUID such as " + NO_GUID, NO_GUID);
        }
        return value.isEmpty() ? NO_GUID : value;
    }

    private static final String NO_GUID = "00000000-0000-0000-0000-000000000000";
    /** What a wrong URL reads as while the rest is read: a name that never resolves (RFC 6761). */
    private static final String NO_URL = "https://unset.invalid";

    /** A Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year]). */
    public String cron(String key, String fallback) {
        String value = string(key, fallback);
        if (!org.quartz.CronExpression.isValidExpression(value)) {
            return problem(keyOf(key), "is not a Quartz cron expression (seconds minutes hours day-of-month month "
                    + "day-of-week, e.g. 0 0/15 * * * ?)", fallback);
        }
        return value;
    }

    /** An absolute URL without trailing slash; https unless {@code allowHttp}. */
    public String url(String key, String fallback, boolean allowHttp) {
        String value = fallback == null ? required(key) : string(key, fallback);
        if (value.isEmpty()) {
            return NO_URL;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return problem(keyOf(key), "is not a valid URL", NO_URL);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return problem(keyOf(key), "must be an absolute https:// URL with a host", NO_URL);
        }
        if (uri.getUserInfo() != null) {
            return problem(keyOf(key), "must not carry credentials in the URL", NO_URL);
        }
        if (scheme.equals("http") && !allowHttp) {
            return problem(keyOf(key), "must use https:// (plain http needs the matching allow-http setting)", NO_URL);
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
            return problem(keyOf(key), "names a file that does not exist or cannot be read: " + path, Optional.empty());
        }
        return Optional.of(path);
    }
}
