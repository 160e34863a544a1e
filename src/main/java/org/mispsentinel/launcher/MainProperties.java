package org.mispsentinel.launcher;

import java.util.Properties;
import org.apache.camel.main.Main;
import org.mispsentinel.config.PropertyLookup;

/**
 * The settings exactly as a run resolves them ({@link SettingsSources}), through camel-main, for modes that need the settings but no routes: camel-main is
 * initialised and never started, so no route, schedule or server comes up and no bean is made (the
 * state store in particular stays closed, so that what reads them can look at it).
 */
final class MainProperties implements AutoCloseable {

    private final Main main = new Main();

    MainProperties(SettingsSources sources, Properties commandLine) throws Exception {
        Properties p = sources.resolve(commandLine);
        // a running instance may have its management server on: a second one would take its port
        p.setProperty("camel.management.enabled", "false");
        p.setProperty("camel.main.routes-reload-enabled", "false");
        main.setOverrideProperties(p);
        main.init();
    }

    /** The context camel-main initialised: its registry holds the beans of {@code camel.beans.*}, none started. */
    org.apache.camel.CamelContext context() {
        return main.getCamelContext();
    }

    PropertyLookup lookup() {
        return key -> main.getCamelContext().getPropertiesComponent().resolveProperty(key);
    }

    @Override
    public void close() {
        main.shutdown();
    }
}
