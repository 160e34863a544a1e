package org.mispsentinel.launcher;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.mispsentinel.config.Settings;

/**
 * The settings a run would have, from the same sources (application.properties, the environment,
 * the overrides) read the same way, by camel-main, for modes that need the settings but no routes:
 * camel-main is configured and never started, so no route, schedule or server comes up.
 */
final class RunSettings {

    private RunSettings() {
    }

    static Settings load(Properties overrides) throws Exception {
        Properties p = new Properties();
        p.putAll(overrides);
        // a running instance may have its management server on: a second one would take its port
        p.setProperty("camel.management.enabled", "false");
        p.setProperty("camel.main.routes-reload-enabled", "false");
        Main main = new Main();
        main.setOverrideProperties(p);
        main.configure().withRoutesIncludePattern("classpath:misp-sentinel-no-routes/*.camel.yaml");
        AtomicReference<Settings> settings = new AtomicReference<>();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                settings.set(Settings.load(key -> m.getCamelContext().getPropertiesComponent().resolveProperty(key)));
            }
        });
        try {
            main.init();
        } finally {
            main.shutdown();
        }
        return settings.get();
    }
}
