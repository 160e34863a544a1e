package org.mispsentinel.config;

import java.util.Optional;

/**
 * Where settings come from: Camel's properties (application.properties, environment, command line)
 * under camel-main, Config Admin under Karaf. Blank values count as absent.
 */
@FunctionalInterface
public interface PropertyLookup {

    Optional<String> find(String key);
}
