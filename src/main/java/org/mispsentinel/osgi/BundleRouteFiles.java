package org.mispsentinel.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.ResourceHelper;
import org.osgi.framework.Bundle;

/**
 * The route files inside the bundle ({@code routes/*.camel.yaml}). Camel's class path scanning
 * finds nothing inside an OSGi bundle, whose class loader lists no directories; the framework's
 * own entry search does.
 */
final class BundleRouteFiles {

    private BundleRouteFiles() {
    }

    static List<Resource> read(Bundle bundle) {
        List<Resource> files = new ArrayList<>();
        Enumeration<URL> entries = bundle.findEntries("routes", "*.camel.yaml", false);
        for (URL entry : entries == null ? List.<URL>of() : Collections.list(entries)) {
            try (InputStream in = entry.openStream()) {
                files.add(ResourceHelper.fromBytes(entry.toExternalForm(), in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the bundle's route file " + entry, e);
            }
        }
        files.sort(Comparator.comparing(Resource::getLocation));
        return files;
    }
}
