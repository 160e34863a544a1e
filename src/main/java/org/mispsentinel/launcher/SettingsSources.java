package org.mispsentinel.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.mispsentinel.config.ConfigurationException;

/**
 * Where the settings of a run come from, highest first: the command line (the mode's own settings),
 * the environment (a key's variable, or {@code <VARIABLE>_FILE} naming a file that holds its value,
 * as container and Kubernetes secrets are mounted), the configuration file ({@code --config FILE}
 * or {@code MISP_SENTINEL_CONFIG}), and the defaults of the bundled application.properties.
 *
 * <p>The layers are merged here and handed to camel-main as one set that wins over everything, with
 * Camel's own reading of environment variables and system properties turned off: Camel lets an
 * environment variable win even over the command line, so an exported {@code DRY_RUN_ENABLED=false}
 * made {@code --dry-run} upload.
 */
final class SettingsSources {

    /** The environment variable that names the configuration file. */
    static final String CONFIG_VARIABLE = "MISP_SENTINEL_CONFIG";
    private static final String FILE_SUFFIX = "_FILE";
    /** Prefixes of the variables of this product: one of them that names no setting is a typo. */
    private static final List<String> OWN_PREFIXES = List.of("MISP_", "AZURE_", "SENTINEL_", "STIX_");

    private static final Properties DEFAULTS = bundled();

    private final Map<String, String> environment;
    private final Optional<Path> file;

    private SettingsSources(Map<String, String> environment, Optional<Path> file) {
        this.environment = Map.copyOf(environment);
        this.file = file;
    }

    /** @param configFile {@code --config FILE}, else the file {@link #CONFIG_VARIABLE} names, if any */
    static SettingsSources of(Map<String, String> environment, Optional<Path> configFile) {
        Optional<Path> file = configFile.or(() -> Optional.ofNullable(environment.get(CONFIG_VARIABLE))
                .filter(v -> !v.isBlank()).map(Path::of));
        return new SettingsSources(environment, file);
    }

    /** The process's environment and the file it names. */
    static SettingsSources standard() {
        return of(System.getenv(), Optional.empty());
    }

    /** Defaults and command line only: what {@code --demo} runs on, whatever is exported. */
    static SettingsSources isolated() {
        return new SettingsSources(Map.of(), Optional.empty());
    }

    Optional<Path> file() {
        return file;
    }

    /**
     * Every setting of a run with this command line, merged from the four layers, plus what keeps
     * Camel from consulting the environment and system properties behind them.
     *
     * @throws ConfigurationException every problem of the file and the environment, one each
     */
    Properties resolve(Properties commandLine) {
        List<String> problems = new ArrayList<>();
        Properties all = new Properties();
        all.putAll(DEFAULTS);
        Properties fromFile = readFile(problems);
        all.putAll(fromFile);
        all.putAll(fromEnvironment(keys(fromFile, commandLine, all), problems));
        all.putAll(commandLine);
        if (!problems.isEmpty()) {
            throw ConfigurationException.all(problems);
        }
        all.setProperty("camel.component.properties.environment-variable-mode", "0");
        all.setProperty("camel.component.properties.system-properties-mode", "0");
        return all;
    }

    /** The keys the environment may set: every documented one, those of the file, and each workspace's own. */
    private Set<String> keys(Properties fromFile, Properties commandLine, Properties sofar) {
        Set<String> keys = new TreeSet<>(DEFAULTS.stringPropertyNames());
        keys.addAll(fromFile.stringPropertyNames());
        keys.addAll(commandLine.stringPropertyNames());
        String workspaces = commandLine.getProperty("workspaces",
                Optional.ofNullable(environment.get(ConfigurationException.envName("workspaces")))
                        .orElse(sofar.getProperty("workspaces", "")));
        for (String name : workspaces.split(",")) {
            if (!name.isBlank()) {
                for (String key : DEFAULTS.stringPropertyNames()) {
                    if (!key.startsWith("camel.") && !key.equals("workspaces")) {
                        keys.add("workspace." + name.trim() + "." + key);
                    }
                }
            }
        }
        return keys;
    }

    private Properties fromEnvironment(Set<String> keys, List<String> problems) {
        Properties p = new Properties();
        for (String key : keys) {
            String variable = ConfigurationException.envName(key);
            String value = environment.get(variable);
            String file = environment.get(variable + FILE_SUFFIX);
            if (file != null && !file.isBlank()) {
                if (value != null) {
                    problems.add(ConfigurationException.describe(key) + ": is set both by " + variable + " and by "
                            + variable + FILE_SUFFIX + "; set one");
                    continue;
                }
                value = secretFile(variable + FILE_SUFFIX, Path.of(file), problems);
            }
            if (value != null) {
                p.setProperty(key, value);
            }
        }
        return p;
    }

    /** The file's content without its trailing line break (the one an editor or echo adds). */
    private static String secretFile(String variable, Path path, List<String> problems) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8).replaceFirst("[\\r\\n]+$", "");
        } catch (IOException e) {
            problems.add(variable + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
            return null;
        }
    }

    private Properties readFile(List<String> problems) {
        Properties p = new Properties();
        if (file.isEmpty()) {
            return p;
        }
        try (Reader in = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            problems.add("configuration file " + file.get() + " (--config, " + CONFIG_VARIABLE + "): cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
        return p;
    }

    /** Keys of the configuration file that are no setting (a typo, or one of another version). */
    List<String> unknownFileKeys() {
        Properties fromFile = readFile(new ArrayList<>());
        return fromFile.stringPropertyNames().stream().sorted()
                .filter(k -> !DEFAULTS.containsKey(k) && !k.startsWith("camel.") && !k.startsWith("workspace."))
                .toList();
    }

    /** Variables of this product's prefixes that are no setting's: typos, most likely. */
    List<String> unknownVariables() {
        Set<String> known = knownVariables();
        return environment.keySet().stream().sorted()
                .filter(v -> OWN_PREFIXES.stream().anyMatch(v::startsWith) && !known.contains(v))
                .toList();
    }

    /** The exported variables a run would read (names only): what {@code --demo} says it ignores. */
    static List<String> settingVariables(Map<String, String> environment) {
        Set<String> known = knownVariables();
        return environment.keySet().stream().sorted()
                .filter(v -> known.contains(v) || v.startsWith("WORKSPACE_")
                        || OWN_PREFIXES.stream().anyMatch(v::startsWith))
                .toList();
    }

    private static Properties bundled() {
        Properties p = new Properties();
        try (InputStream in = SettingsSources.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new IllegalStateException("application.properties is missing from the class path");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Every variable that names a setting, its {@code _FILE} twin, and the one naming the configuration file. */
    private static Set<String> knownVariables() {
        Set<String> known = new TreeSet<>();
        for (String key : DEFAULTS.stringPropertyNames()) {
            known.add(ConfigurationException.envName(key));
            known.add(ConfigurationException.envName(key) + FILE_SUFFIX);
        }
        known.add(CONFIG_VARIABLE);
        // the JVM's, not settings: LeanJvm's switch and the start script's extra options
        known.add(LeanJvm.SWITCH_VARIABLE);
        known.add("MISP_SENTINEL_JAVA_OPTS");
        return known;
    }
}
