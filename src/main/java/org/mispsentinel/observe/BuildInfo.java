package org.mispsentinel.observe;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * misp-sentinel's version, as the build wrote it (build.properties, filtered by Maven), so that
 * the jar, the bundle and the tests on target/classes all report the same one; the jar's manifest
 * carries it too (Implementation-Version).
 */
public final class BuildInfo {

    private static final String VERSION = read();

    private BuildInfo() {
    }

    public static String version() {
        return VERSION;
    }

    /** What --version prints and the first log line of a run says. */
    public static String line() {
        return "misp-sentinel " + version() + " (Apache Camel " + camelVersion() + ")";
    }

    /** The Apache Camel this process runs on, from Camel's own jar (its Maven metadata). */
    public static String camelVersion() {
        try (InputStream in = org.apache.camel.CamelContext.class.getResourceAsStream(
                "/META-INF/maven/org.apache.camel/camel-api/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through to the manifest
        }
        String fromManifest = org.apache.camel.CamelContext.class.getPackage().getImplementationVersion();
        return fromManifest != null ? fromManifest : "unknown";
    }

    private static String read() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/org/mispsentinel/build.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
