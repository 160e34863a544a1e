package org.mispsentinel.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * What {@code --demo} needs of the stand-ins: the one door between the launcher and the demo source
 * set. The stand-ins are compiled after the product and only into the runnable jar, so the launcher
 * finds them at run time and a build without them (the OSGi bundle) has no reference to them at all.
 */
public interface DemoEstate extends AutoCloseable {

    /** Starts stand-ins for MISP, Entra ID and Sentinel on loopback, MISP holding {@code attributes} synthetic attributes. */
    void start(int attributes);

    /** The settings that point a run at the stand-ins, trusting their certificate from a store written into {@code dir}. */
    Properties settings(Path dir);

    String mispUrl();

    int indicatorsHeld();

    int uploadRequests();

    int tokensIssued();

    Optional<JsonNode> anyIndicator();

    @Override
    void close();

    /** The stand-ins of the runnable jar; empty where they were not packaged. */
    static Optional<DemoEstate> find() {
        return ServiceLoader.load(DemoEstate.class).findFirst();
    }
}
