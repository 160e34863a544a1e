package org.mispsentinel.launcher;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;

/**
 * The JVM options misp-sentinel runs with when whoever started it chose none. A JVM's heap bound and
 * collector are fixed when it starts, and a jar's manifest cannot carry them, so {@code java -jar
 * misp-sentinel.jar} started without a heap option starts its JVM once more with {@link #OPTIONS}
 * and waits for it: the exit code is the second JVM's, and SIGTERM / SIGINT are passed on to it.
 * Without a bound the JVM's heap follows the machine's memory (a quarter of it) and none of it is
 * given back while the service waits for its next cycle. bench/README.md has the measurements.
 *
 * <p>An operator's own options win: a JVM started with a heap option ({@code -Xmx}, {@code
 * -XX:MaxRAMPercentage}, ...) runs as it is, and the options it was started with are passed on
 * after {@link #OPTIONS}, where the last of two settings of one option counts. {@code
 * MISP_SENTINEL_JVM=as-started} turns the restart off.
 */
public final class LeanJvm {

    /**
     * The options, chosen by measurement (bench/run ab); docs/deployment.md says why each. The
     * distribution's bin/misp-sentinel sets the same (DistributionIT holds them equal).
     */
    public static final List<String> OPTIONS = List.of(
            // a bounded heap and a collector without concurrent threads: about 33 MB are live after a
            // first sync of 100,000 attributes, and Serial spends the least CPU
            "-XX:+UseSerialGC", "-Xms16m", "-Xmx128m",
            // a young generation of 8 MB: what is allocated per attribute dies young, and a larger one
            // stays committed while the service waits (about 9 MB of its RSS)
            "-Xmn8m",
            // the heap grows when less than 20 % is free after a collection (10 % made the old
            // generation fill up again at once: more full collections) and shrinks above 40 %
            "-XX:MinHeapFreeRatio=20", "-XX:MaxHeapFreeRatio=40",
            "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=64m", "-Xss512k",
            // C1 only: C2's compilations, code and compiler memory cost a first sync of 100,000
            // attributes a third of its CPU and 50 MB of RSS; at 1,000,000 C2 would save a fifth
            "-XX:TieredStopAtLevel=1",
            // a JVM out of memory is in no state to settle a batch: a clean restart is
            "-XX:+ExitOnOutOfMemoryError");

    /**
     * Gives the C heap's free memory back to the system every 5 s: glibc keeps what the JIT compilers and
     * the first cycle freed, about 25 MB of an idle service after a first sync of 100,000 attributes.
     * Only where the JVM has the option as a product switch (JDK 17.0.11 and later, 21.0.3 and later).
     */
    public static final String NATIVE_TRIM_OPTION = "-XX:TrimNativeHeapInterval=5000";

    /** Set in the JVM this class started, so that it does not start another. */
    static final String STARTED_PROPERTY = "misp-sentinel.lean-jvm";
    static final String SWITCH_VARIABLE = "MISP_SENTINEL_JVM";

    private LeanJvm() {
    }

    /** Whether this JVM should hand over to one with {@link #OPTIONS}. */
    static boolean wanted(List<String> inputArguments, Map<String, String> environment) {
        if (System.getProperty(STARTED_PROPERTY) != null || "as-started".equals(environment.get(SWITCH_VARIABLE))) {
            return false;
        }
        return inputArguments.stream().noneMatch(LeanJvm::choosesHeap);
    }

    private static boolean choosesHeap(String option) {
        return option.startsWith("-Xmx") || option.startsWith("-XX:MaxHeapSize") || option.startsWith("-XX:MaxRAM")
                || option.startsWith("-XX:MaxRAMPercentage") || option.startsWith("-XX:MaxRAMFraction");
    }

    /** The command of the second JVM: this JVM's java, {@link #OPTIONS}, this JVM's own options, its main and args. */
    static List<String> command(List<String> inputArguments, String javaCommand, String classPath, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(OPTIONS);
        if (nativeTrimAvailable()) {
            command.add(NATIVE_TRIM_OPTION);
        }
        command.addAll(inputArguments);
        command.add("-D" + STARTED_PROPERTY + "=true");
        // sun.java.command: the jar (java -jar) or the main class, then the arguments
        String main = javaCommand.split(" ", 2)[0];
        if (main.endsWith(".jar")) {
            command.add("-jar");
            command.add(main);
        } else {
            command.add("-cp");
            command.add(classPath);
            command.add(main);
        }
        command.addAll(List.of(args));
        return command;
    }

    /** Whether this JVM, the second one's java, knows {@link #NATIVE_TRIM_OPTION} without unlocking it. */
    static boolean nativeTrimAvailable() {
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("TrimNativeHeapInterval");
            return true;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    /**
     * In the second JVM: when the first one ends without ending it (SIGKILL, a crash), this one ends
     * at once too, as the first did: else it would run on unseen, holding the state directory.
     */
    static void endWithTheFirst() {
        if (System.getProperty(STARTED_PROPERTY) != null) {
            ProcessHandle.current().parent().ifPresent(first -> first.onExit().thenRun(() -> Runtime.getRuntime().halt(137)));
        }
    }

    /** Starts the second JVM and returns its exit code once it has ended. */
    static int handOver(String[] args) throws IOException, InterruptedException {
        List<String> command = command(ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("sun.java.command", ""), System.getProperty("java.class.path"), args);
        Process jvm = new ProcessBuilder(command).inheritIO().start();
        // the stop request is the second JVM's to answer (it settles the batch in flight)
        for (String name : List.of("TERM", "INT", "HUP")) {
            try {
                Signal.handle(new Signal(name), s -> jvm.destroy());
            } catch (IllegalArgumentException | UnsupportedOperationException refused) {
                // -Xrs or a platform without it: the JVM's shutdown hook below passes the stop on
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (jvm.isAlive()) {
                jvm.destroy();
                try {
                    jvm.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "misp-sentinel-hand-over"));
        return jvm.waitFor();
    }
}
