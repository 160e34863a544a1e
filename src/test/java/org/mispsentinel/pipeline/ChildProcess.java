package org.mispsentinel.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The real launcher in its own JVM, configured the way operators do it: environment variables. */
final class ChildProcess {

    private ChildProcess() {
    }

    /** Starts {@code Launcher} with {@code args}; stdout and stderr both go to {@code log}. */
    static Process launch(SyncHarness h, Path log, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.mispsentinel.launcher.Launcher"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        h.settings().forEach((k, v) -> env.put(k.toString().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'),
                v.toString()));
        return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
