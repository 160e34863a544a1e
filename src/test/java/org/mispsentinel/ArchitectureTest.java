package org.mispsentinel;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What goes into the OSGi bundle must stand without what only the jar carries. */
class ArchitectureTest {

    private static final String[] PRODUCT = {"org.mispsentinel", "org.mispsentinel.config", "org.mispsentinel.misp",
        "org.mispsentinel.stix", "org.mispsentinel.sentinel", "org.mispsentinel.delivery", "org.mispsentinel.http", "org.mispsentinel.observe",
        "org.mispsentinel.osgi"};

    /** The main classes only, wherever the build puts them (tests use the stand-ins by design). */
    private final JavaClasses classes = new ClassFileImporter().importPath(mainClasses());

    private static Path mainClasses() {
        try {
            return Path.of(MispSentinelBeans.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void productPackagesNeverDependOnTheLauncherOrTheStandIns() {
        noClasses().that().resideInAnyPackage(PRODUCT)
                .should().dependOnClassesThat().resideInAnyPackage("org.mispsentinel.launcher..",
                        "org.mispsentinel.standin..")
                .check(classes);
    }

    @Test
    void productPackagesNeverDependOnCamelMain() {
        noClasses().that().resideInAnyPackage(PRODUCT)
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel.main..")
                .check(classes);
    }
}
