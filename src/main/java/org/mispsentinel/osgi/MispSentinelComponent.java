package org.mispsentinel.osgi;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

/**
 * Starts the pipeline in Karaf once {@code etc/org.mispsentinel.cfg} exists, restarts its routes when
 * the file changes and stops them when the bundle stops. The context is the bundle's own, so that
 * its routes, beans and properties never mix with the estate's other integrations; the Camel it
 * runs is the estate's camel-karaf. Each configuration gets a context of its own (see Pipeline).
 */
@Component(configurationPid = Pipeline.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
public final class MispSentinelComponent {

    private final Pipeline pipeline = new Pipeline(MispSentinelComponent::newContext);

    private static CamelContext newContext() {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName("misp-sentinel");
        // classes named in route files (#class:...) resolve through the bundle's imports
        camel.setApplicationContextClassLoader(MispSentinelComponent.class.getClassLoader());
        return camel;
    }

    @Activate
    void activate(Map<String, Object> configuration) throws Exception {
        pipeline.activate(configuration);
    }

    @Modified
    void modified(Map<String, Object> configuration) throws Exception {
        pipeline.modified(configuration);
    }

    @Deactivate
    void deactivate() throws Exception {
        pipeline.deactivate();
    }
}
