package org.mispsentinel.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.launcher.LeanJvm;
import org.mispsentinel.standin.InMemoryMispDataset;
import org.mispsentinel.standin.MispAttributes;
import org.mispsentinel.standin.StandInTls;
import org.mispsentinel.standin.StandIns;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The distribution archive as an operator gets it: unpacked with tar, run through its launcher
 * script with its configuration file against the stand-ins (which run in this JVM), its systemd unit
 * checked by systemd itself where it is installed. Runs after the package phase, which makes the archive.
 */
class DistributionIT {

    private static final Path ARCHIVE = Path.of(System.getProperty("dist.archive",
            "target/misp-sentinel-0.1.0-SNAPSHOT-dist.tar.gz"));
    private static final String NAME = System.getProperty("dist.name", "misp-sentinel-0.1.0-SNAPSHOT");
    /** A run's safety net only: the assertions are about exit codes and deliveries, not durations. */
    private static final Duration WATCHDOG = Duration.ofMinutes(5);

    @TempDir
    Path temp;
    private Path home;

    @BeforeEach
    void unpack() throws Exception {
        Run tar = run(List.of("tar", "-xzf", ARCHIVE.toAbsolutePath().toString(), "-C", temp.toString()), temp, Map.of());
        assertThat(tar.exit()).as(tar.output()).isZero();
        home = temp.resolve(NAME);
    }

    @Test
    void theArchiveHoldsWhatTheDeploymentPageLaysOutFromTheFilesTheBuildKeeps() throws Exception {
        Set<String> documented = documentedLayout();
        Set<String> files = files(home);
        for (String entry : documented) {
            assertThat(Files.exists(home.resolve(entry))).as("%s, in the layout of docs/deployment.md", entry).isTrue();
        }
        assertThat(files).allSatisfy(f -> assertThat(documented.stream().anyMatch(d -> d.equals(f)
                || d.endsWith("/") && f.startsWith(d))).as("%s is in the layout of docs/deployment.md", f).isTrue());

        assertThat(Files.getPosixFilePermissions(home.resolve("bin/misp-sentinel")))
                .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                        PosixFilePermission.OTHERS_EXECUTE);
        assertThat(home.resolve("etc/misp-sentinel.properties"))
                .hasSameTextualContentAs(Path.of("src/main/resources/application.properties"));
        for (String copied : List.of("routes", "docs")) {
            assertThat(files(home.resolve(copied))).isEqualTo(files(Path.of(copied)));
            for (String file : files(Path.of(copied))) {
                assertThat(home.resolve(copied).resolve(file)).hasSameTextualContentAs(Path.of(copied).resolve(file));
            }
        }
        Path dist = Path.of("src/dist");
        for (String file : files(dist)) {
            if (!file.equals("assembly.xml")) {
                assertThat(home.resolve(file)).hasSameTextualContentAs(dist.resolve(file));
            }
        }
    }

    @Test
    void theLauncherScriptHandsJavaTheJvmOptionsTheJarAndTheConfigurationFile() throws Exception {
        // a java that prints what it was given, one argument a line
        Path fakeJavaHome = temp.resolve("fake-jdk");
        Path fakeJava = Files.createDirectories(fakeJavaHome.resolve("bin")).resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        fakeJava.toFile().setExecutable(true);
        String launcher = home.resolve("bin/misp-sentinel").toString();
        String jar = home.resolve("lib/misp-sentinel.jar").toString();
        String installed = home.resolve("etc/misp-sentinel.properties").toString();
        Map<String, String> fake = Map.of("JAVA_HOME", fakeJavaHome.toString());

        assertThat(run(List.of(launcher, "--once"), temp, fake).output().lines())
                .containsExactlyElementsOf(jvmOptionsThen(List.of(), "-jar", jar, "--config", installed, "--once"));
        assertThat(run(List.of(launcher, "--check"), temp, Map.of("JAVA_HOME", fakeJavaHome.toString(),
                "MISP_SENTINEL_CONFIG", "/etc/misp-sentinel/site.properties", "JAVA_OPTS", "-Xmx256m *")).output().lines())
                .containsExactly("-Xmx256m", "*", "-jar", jar, "--config", "/etc/misp-sentinel/site.properties", "--check");
        assertThat(run(List.of(launcher, "--config", "own file.properties", "--once"), temp, fake).output().lines())
                .containsExactlyElementsOf(jvmOptionsThen(List.of(), "-jar", jar, "--config", "own file.properties", "--once"));
        assertThat(run(List.of(launcher, "--once"), temp, Map.of("JAVA_HOME", fakeJavaHome.toString(),
                "MISP_SENTINEL_JAVA_OPTS", "-Xmx512m")).output().lines())
                .containsExactlyElementsOf(jvmOptionsThen(List.of("-Xmx512m"), "-jar", jar, "--config", installed, "--once"));
        Files.delete(Path.of(installed));
        assertThat(run(List.of(launcher, "--once"), temp, fake).output().lines())
                .containsExactlyElementsOf(jvmOptionsThen(List.of(), "-jar", jar, "--once"));

        Run noJava = run(List.of(launcher, "--once"), temp, Map.of("JAVA_HOME", temp.resolve("nowhere").toString()));
        assertThat(noJava.exit()).isEqualTo(2);
        assertThat(noJava.output()).contains("JAVA_HOME", "has no bin/java");
    }

    @Test
    void theJarInTheArchivesLibLoadsTheArchivesRoutes() throws Exception {
        Run validate = run(List.of(javaHome().resolve("bin/java").toString(), "-jar",
                home.resolve("lib/misp-sentinel.jar").toString(), "--validate-routes"), temp, Map.of());

        assertThat(validate.exit()).as(validate.output()).isZero();
        assertThat(validate.output()).contains("routes valid: " + files(Path.of("routes")).size() + " files")
                .contains(" in " + home.resolve("routes") + " ");
    }

    @Test
    void theLauncherRunsOneCycleWithTheInstallationsConfigurationFile() throws Exception {
        InMemoryMispDataset dataset = new InMemoryMispDataset();
        List<String> values = List.of("198.51.100.7", "198.51.100.8", "203.0.113.9");
        values.forEach(v -> dataset.add(MispAttributes.attribute("ip-dst", v).toIds(true).timestamp(1_700_000_000L)));
        try (StandIns standIns = StandIns.builder().dataset(dataset).start()) {
            // the shipped file, with what an operator fills in
            appendSettings(home.resolve("etc/misp-sentinel.properties"), standIns);
            Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));

            Run once = run(List.of(home.resolve("bin/misp-sentinel").toString(), "--once"), elsewhere, Map.of());

            assertThat(once.exit()).as(once.output()).isZero();
            assertThat(indicators(standIns)).as(once.output()).isEqualTo(values.size());
            assertThat(once.output()).contains("cycle complete");
            assertThat(temp.resolve("state")).isNotEmptyDirectory();
            assertThat(elsewhere).isEmptyDirectory();
        }
    }

    @Test
    void sigtermThroughTheLauncherReachesTheJvmWhichStopsWithinTheUnitsStopTimeoutAsTheUnitsSuccess() throws Exception {
        InMemoryMispDataset dataset = new InMemoryMispDataset();
        dataset.add(MispAttributes.attribute("domain", "stop.example.org").toIds(true).timestamp(1_700_000_000L));
        String unit = Files.readString(home.resolve("etc/systemd/misp-sentinel.service"));
        try (StandIns standIns = StandIns.builder().dataset(dataset).start()) {
            Path config = temp.resolve("site.properties");
            appendSettings(config, standIns);
            Path log = temp.resolve("scheduled.log");
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/misp-sentinel").toString())
                    .directory(temp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            environment(builder, Map.of("MISP_SENTINEL_CONFIG", config.toString()));
            Process process = builder.start();
            try {
                // the start-up cycle has delivered: the service is running, not starting
                await().atMost(WATCHDOG).until(() -> indicators(standIns) == 1 || !process.isAlive());
                assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
                // exec: the launcher's process is the JVM itself, so the signal is the JVM's
                assertThat(ProcessHandle.of(process.pid()).flatMap(h -> h.info().command()).orElseThrow())
                        .endsWith("/java");
                assertThat(process.descendants()).isEmpty();

                process.destroy(); // SIGTERM, as systemctl stop and Kubernetes send it

                assertThat(process.waitFor(unitSeconds(unit, "TimeoutStopSec"), TimeUnit.SECONDS))
                        .as("stopped within TimeoutStopSec").isTrue();
                assertThat(successStatuses(unit)).as(Files.readString(log)).contains(process.exitValue());
            } finally {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void theSystemdUnitPassesSystemdAnalyzeVerify() throws Exception {
        assumeThat(onPath("systemd-analyze")).as("systemd-analyze is not installed here: the unit is not verified").isTrue();
        // the unit names its installation /opt/misp-sentinel: here it is the unpacked archive
        Path unit = temp.resolve("misp-sentinel.service");
        Files.writeString(unit, Files.readString(home.resolve("etc/systemd/misp-sentinel.service"))
                .replace("/opt/misp-sentinel", home.toString()));

        Run verify = run(List.of("systemd-analyze", "verify", unit.toString()), temp, Map.of());

        assertThat(verify.exit()).as(verify.output()).isZero();
        // it reports unknown keys and values it cannot parse as warnings, exit 0
        assertThat(verify.output()).isBlank();
    }

    @Test
    void theContainerfileCopiesWhatTheArchiveHoldsAndEditsSettingsTheFileHas() throws Exception {
        String containerfile = Files.readString(home.resolve("Containerfile"));
        assertThat(containerfile).containsPattern("(?m)^FROM eclipse-temurin:17-jre$");
        Matcher copy = Pattern.compile("(?m)^COPY (\\S+) (\\S+)$").matcher(containerfile);
        List<String> destinations = new ArrayList<>();
        while (copy.find()) {
            assertThat(home.resolve(copy.group(1))).as("COPY %s", copy.group(1)).exists();
            destinations.add(copy.group(2));
        }
        assertThat(destinations).contains("/opt/misp-sentinel/bin/", "/opt/misp-sentinel/lib/",
                "/opt/misp-sentinel/routes/", "/opt/misp-sentinel/etc/misp-sentinel.properties");
        assertThat(containerfile).contains("ENTRYPOINT [\"/opt/misp-sentinel/bin/misp-sentinel\"]");
        Set<String> keys = settingKeys(home.resolve("etc/misp-sentinel.properties"));
        Matcher edit = Pattern.compile("s/\\^([\\w\\\\.-]+)=").matcher(containerfile);
        int edits = 0;
        for (; edit.find(); edits++) {
            assertThat(keys).contains(edit.group(1).replace("\\.", "."));
        }
        assertThat(edits).isEqualTo(2);
    }

    @Test
    void theKubernetesExampleNamesOnlySettingsThatExist() throws Exception {
        Set<String> keys = settingKeys(home.resolve("etc/misp-sentinel.properties"));
        Load yaml = new Load(LoadSettings.builder().build());
        Map<?, ?> configMap = (Map<?, ?>) yaml.loadFromString(Files.readString(home.resolve("k8s/configmap.yaml")));
        String properties = (String) ((Map<?, ?>) configMap.get("data")).get("misp-sentinel.properties");
        Properties fromConfigMap = new Properties();
        fromConfigMap.load(new java.io.StringReader(properties));
        assertThat(keys).containsAll(fromConfigMap.stringPropertyNames());

        Map<?, ?> deployment = (Map<?, ?>) yaml.loadFromString(Files.readString(home.resolve("k8s/deployment.yaml")));
        Map<?, ?> pod = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) deployment.get("spec")).get("template")).get("spec");
        Map<?, ?> container = (Map<?, ?>) ((List<?>) pod.get("containers")).get(0);
        Set<String> variables = keys.stream().map(k -> k.toUpperCase().replace('.', '_').replace('-', '_'))
                .collect(Collectors.toSet());
        variables.add("MISP_SENTINEL_CONFIG");
        variables.add("LOG_FORMAT");
        for (Object env : (List<?>) container.get("env")) {
            String name = (String) ((Map<?, ?>) env).get("name");
            assertThat(variables).as(name).contains(name.endsWith("_FILE") ? name.substring(0, name.length() - 5) : name);
        }
        assertThat(((Map<?, ?>) deployment.get("spec")).get("replicas")).isEqualTo(1);
        assertThat(fromConfigMap.getProperty("camel.management.port"))
                .isEqualTo(String.valueOf(((Map<?, ?>) ((List<?>) container.get("ports")).get(0)).get("containerPort")));
    }

    /** The settings of a run against the stand-ins, after what the file already says (later lines win). */
    private void appendSettings(Path file, StandIns standIns) throws IOException {
        Properties settings = standIns.properties(StandInTls.writeTrustStore(temp));
        settings.setProperty("state.dir", temp.resolve("state").toString());
        settings.setProperty("misp.lookback-days", "0");
        StringWriter text = new StringWriter();
        settings.store(text, "filled in by DistributionIT");
        Files.writeString(file, (Files.exists(file) ? Files.readString(file) : "") + "\n" + text,
                StandardCharsets.ISO_8859_1);
    }

    private static long indicators(StandIns standIns) {
        return standIns.sentinel().accepted().values().stream()
                .filter(o -> "indicator".equals(o.path("type").asText())).count();
    }

    private static long unitSeconds(String unit, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + "=(\\d+)$").matcher(unit);
        assertThat(m.find()).as(key).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** A clean exit, and what SuccessExitStatus adds. */
    private static Set<Integer> successStatuses(String unit) {
        Set<Integer> statuses = new TreeSet<>(Set.of(0));
        Matcher m = Pattern.compile("(?m)^SuccessExitStatus=(.*)$").matcher(unit);
        while (m.find()) {
            for (String status : m.group(1).trim().split("\\s+")) {
                statuses.add(Integer.parseInt(status));
            }
        }
        return statuses;
    }

    private static Set<String> documentedLayout() throws IOException {
        String readme = Files.readString(Path.of("docs/deployment.md"));
        int start = readme.indexOf("```\n" + "misp-sentinel-<version>/\n");
        assertThat(start).as("the archive's layout in docs/deployment.md").isNotNegative();
        String block = readme.substring(start + 4, readme.indexOf("```", start + 4));
        Set<String> entries = new TreeSet<>();
        for (String line : block.split("\n")) {
            if (line.startsWith("  ") && !line.isBlank()) {
                entries.add(line.trim().split("\\s+")[0]);
            }
        }
        return entries;
    }

    private static Set<String> settingKeys(Path file) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            p.load(in);
        }
        return p.stringPropertyNames();
    }

    private static Set<String> files(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }

    private static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    /** Only what a service manager would give: none of this machine's MISP_*, AZURE_*, STATE_DIR or JAVA_OPTS. */
    private static void environment(ProcessBuilder builder, Map<String, String> extra) {
        Map<String, String> env = builder.environment();
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        env.clear();
        env.put("PATH", path);
        env.put("JAVA_HOME", javaHome().toString());
        env.put("LANG", "C.UTF-8");
        env.putAll(extra);
    }

    private record Run(int exit, String output) {
    }

    private Run run(List<String> command, Path dir, Map<String, String> extra) throws Exception {
        Path out = Files.createTempFile(temp, "run", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        environment(builder, extra);
        Process process = builder.start();
        try {
            assertThat(process.waitFor(WATCHDOG.toSeconds(), TimeUnit.SECONDS)).as("%s ended", command).isTrue();
            return new Run(process.exitValue(), Files.readString(out));
        } finally {
            process.destroyForcibly();
        }
    }

    /** The script's default JVM options are the jar's own (LeanJvm), then the operator's extra ones, then the rest. */
    private static List<String> jvmOptionsThen(List<String> extra, String... rest) {
        List<String> all = new ArrayList<>(LeanJvm.OPTIONS);
        // the fake java answers the script's probe for the switch as a java that has it
        all.add(LeanJvm.NATIVE_TRIM_OPTION);
        all.addAll(extra);
        all.addAll(List.of(rest));
        return all;
    }
}
