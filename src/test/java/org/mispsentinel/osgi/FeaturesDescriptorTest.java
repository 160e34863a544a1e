package org.mispsentinel.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class FeaturesDescriptorTest {

    /** As the build writes it, with the versions filled in. */
    private static final Path DESCRIPTOR = Path.of(System.getProperty("features.descriptor"));

    @Test
    void featuresDescriptorIsValidAgainstKarafsFeaturesSchema() throws Exception {
        SchemaFactory schemas = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        var xsd = getClass().getResource("/org/apache/karaf/features/karaf-features-1.6.0.xsd");
        assertThat(xsd).as("the schema from org.apache.karaf.features.core").isNotNull();

        schemas.newSchema(xsd).newValidator().validate(new StreamSource(DESCRIPTOR.toFile()));
    }

    @Test
    void featureTakesCamelFromCamelKarafAndEmbedsNoCamelBundle() throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Element feature = (Element) factory.newDocumentBuilder().parse(Files.newInputStream(DESCRIPTOR))
                .getElementsByTagNameNS("*", "feature").item(0);

        assertThat(feature.getAttribute("name")).isEqualTo("misp-sentinel");
        assertThat(texts(feature, "feature")).contains("camel-core", "camel-yaml-dsl", "camel-quartz", "camel-http", "scr");
        assertThat(texts(feature, "bundle")).noneMatch(bundle -> bundle.contains("org.apache.camel"))
                .anyMatch(bundle -> bundle.contains("/msal4j/")).anyMatch(bundle -> bundle.contains("/h2-mvstore/"))
                .anyMatch(bundle -> bundle.endsWith("/jar/bundle"));
        assertThat(String.join(" ", texts((Element) feature.getParentNode(), "repository")))
                .startsWith("mvn:org.apache.camel.karaf/apache-camel/");
    }

    @Test
    void namesACamelKarafReleaseThatExists() throws Exception {
        // camel-karaf's releases are 4.7.0, 4.8.x, 4.9.0, 4.10.x, 4.14.5, 4.18.1: a descriptor naming
        // one never released (4.18.0 was named) fails feature:repo-add in every estate
        assertThat(Files.readString(DESCRIPTOR))
                .contains("<repository>mvn:org.apache.camel.karaf/apache-camel/" + System.getProperty("camel.karaf.version")
                        + "/xml/features</repository>");
        assertThat(System.getProperty("camel.karaf.version")).isNotIn("4.18.0", "4.14.0", "4.10.0", "4.8.0");
    }

    @Test
    void msal4jIsWrappedWithItsJdkHttpServerImportOptional() throws Exception {
        // a stock Karaf does not export com.sun.net.httpserver, which msal4j imports for interactive logins
        assertThat(Files.readString(DESCRIPTOR)).containsPattern(
                "wrap:mvn:com.microsoft.azure/msal4j/[^$<]+\\$overwrite=merge&amp;Import-Package=com.sun.net.httpserver;resolution:=optional,\\*<");
    }

    private static List<String> texts(Element parent, String tag) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagNameNS("*", tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getParentNode() == parent) {
                texts.add(nodes.item(i).getTextContent().trim());
            }
        }
        return texts;
    }
}
