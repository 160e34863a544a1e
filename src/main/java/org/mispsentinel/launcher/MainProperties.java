package org.mispsentinel.launcher;

import java.util.Properties;
import org.apache.camel.main.Main;
import org.mispsentinel.config.PropertyLookup;

/**
 * The settings exactly as a run resolves them (application.properties, the environment, the
 * overrides), through camel-main, but with no route loaded and no bean made: the state store in
 * particular stays closed, so that what reads them can look at it.
 */
final class MainProperties implements AutoCloseable {

    private final Main main = new Main();

    MainProperties(Properties overrides) throws Exception {
        main.setOverrideProperties(overrides);
        // initialised, never started: the properties are resolved, nothing runs
        main.init();
    }

    PropertyLookup lookup() {
        return key -> main.getCamelContext().getPropertiesComponent().resolveProperty(key);
    }

    @Override
    public void close() {
        main.stop();
    }
}
