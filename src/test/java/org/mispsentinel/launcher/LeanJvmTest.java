package org.mispsentinel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM the launcher runs in when started as the README starts it (java and no options): its own
 * options, the operator's winning over them, and the exit code of the JVM that does the work. Each
 * JVM prints the flags it runs with ({@code -XX:+PrintCommandLineFlags}, an option that chooses
 * nothing the launcher cares about), one line per JVM.
 */
class LeanJvmTest {

    @TempDir
    Path home;

    @Test
    void startedWithoutOptionsItRunsInAJvmWithItsOwnHeapBoundAndCollector() throws Exception {
        Run run = launch(Map.of(), List.of(), "--version");

        assertThat(run.exit).isZero();
        assertThat(run.flagLines()).as(run.stdout).hasSize(2);
        assertThat(run.flagLines().get(1)).contains("-XX:+UseSerialGC", "-XX:MaxHeapSize=134217728", "-XX:TieredStopAtLevel=1");
        assertThat(run.stdout).contains("misp-sentinel");
    }

    @Test
    void theServiceRunsInTheSameLeanJvmThatGivesTheNativeHeapBack() throws Exception {
        // no settings at all: the service exits 2 at once, after its JVM printed its flags
        Run run = launch(Map.of(), List.of());

        assertThat(run.exit).isEqualTo(Launcher.BAD_CONFIGURATION);
        assertThat(run.flagLines()).as(run.stdout).hasSize(2);
        assertThat(run.flagLines().get(1)).contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        // printed as the JVM holds it when the java that runs the tests has the switch, as Java 17.0.11 and later do
        assertThat(run.flagLines().get(1).contains("-XX:TrimNativeHeapInterval=5000")).isEqualTo(LeanJvm.nativeTrimAvailable());
    }

    @Test
    void anOptionTheOperatorGaveWinsOverTheLaunchersOwn() throws Exception {
        Run run = launch(Map.of(), List.of("-XX:MaxMetaspaceSize=200m"), "--version");

        assertThat(run.flagLines()).as(run.stdout).hasSize(2);
        assertThat(run.flagLines().get(1)).contains("-XX:+UseSerialGC", "-XX:MaxMetaspaceSize=209715200")
                .doesNotContain("-XX:MaxMetaspaceSize=134217728");
    }

    @Test
    void aHeapBoundTheOperatorChoseKeepsTheJvmAsStarted() throws Exception {
        Run run = launch(Map.of(), List.of("-Xmx200m"), "--version");

        assertThat(run.exit).isZero();
        assertThat(run.flagLines()).as(run.stdout).hasSize(1);
        assertThat(run.flagLines().get(0)).contains("-XX:MaxHeapSize=209715200").doesNotContain("-XX:+UseSerialGC");
    }

    @Test
    void theSwitchKeepsTheJvmAsStarted() throws Exception {
        Run run = launch(Map.of(LeanJvm.SWITCH_VARIABLE, "as-started"), List.of(), "--version");

        assertThat(run.exit).isZero();
        assertThat(run.flagLines()).as(run.stdout).hasSize(1);
        assertThat(run.flagLines().get(0)).doesNotContain("-XX:MaxHeapSize=134217728");
    }

    @Test
    void theExitCodeIsTheOneOfTheJvmThatDidTheWork() throws Exception {
        Run run = launch(Map.of(), List.of(), "--no-such-option");

        assertThat(run.flagLines()).as(run.stdout).hasSize(2);
        assertThat(run.exit).isEqualTo(Launcher.BAD_CONFIGURATION);
        assertThat(run.stderr).contains("--no-such-option");
    }

    private record Run(int exit, String stdout, String stderr) {

        List<String> flagLines() {
            return stdout.lines().filter(line -> line.startsWith("-XX:")).toList();
        }
    }

    private Run launch(Map<String, String> environment, List<String> options, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+PrintCommandLineFlags"));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Launcher.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Path out = home.resolve("stdout.txt");
        Path err = home.resolve("stderr.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        // a bound for a hung child, not a measure of anything
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("launcher did not end; stderr:\n" + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
