package org.mispsentinel;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mispsentinel.launcher.DemoEstate;

/**
 * Three rooms: the product (what the OSGi bundle carries), the launcher (camel-main's command line)
 * and the stand-ins (src/demo, for --demo, the tests and bench/). Each room may lean only on the
 * rooms below it, and the stand-ins on the launcher through {@link DemoEstate} alone.
 */
class ArchitectureTest {

    private static final String[] PRODUCT = {"org.mispsentinel", "org.mispsentinel.config", "org.mispsentinel.misp",
        "org.mispsentinel.stix", "org.mispsentinel.sentinel", "org.mispsentinel.delivery", "org.mispsentinel.http", "org.mispsentinel.observe",
        "org.mispsentinel.osgi", "org.mispsentinel.state"};
    private static final String LAUNCHER = "org.mispsentinel.launcher..";
    private static final String STAND_INS = "org.mispsentinel.standin..";

    /** src/main, wherever the build puts it. */
    private final JavaClasses main = new ClassFileImporter().importPath(locationOf(MispSentinelBeans.class));
    /** src/demo: its own output folder, not the copy the tests run from. */
    private final JavaClasses demo = new ClassFileImporter().importPath(Path.of(System.getProperty("demo.classes")));

    private static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theProductSourceSetHoldsNoStandIn() {
        assertThat(main).isNotEmpty().noneMatch(type -> type.getPackageName().startsWith("org.mispsentinel.standin"));
        assertThat(demo).isNotEmpty().allMatch(type -> type.getPackageName().equals("org.mispsentinel.standin"));
    }

    @Test
    void productPackagesNeverDependOnTheLauncher() {
        noClasses().that().resideInAnyPackage(PRODUCT)
                .should().dependOnClassesThat().resideInAnyPackage(LAUNCHER)
                .check(main);
    }

    @Test
    void productPackagesNeverDependOnCamelMain() {
        noClasses().that().resideInAnyPackage(PRODUCT)
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel.main..")
                .check(main);
    }

    /** --demo finds the stand-ins at run time (DemoEstate.find), so a jar without them still runs. */
    @Test
    void theLauncherNeverNamesAStandIn() {
        noClasses().that().resideInAPackage(LAUNCHER)
                .should().dependOnClassesThat().resideInAnyPackage(STAND_INS)
                .check(main);
    }

    /** The stand-ins play servers from their published behaviour; the client's code is no source for that. */
    @Test
    void standInsModelNoProductPackageAndEnterTheLauncherOnlyAsTheDemoEstate() {
        classes().that().resideInAPackage(STAND_INS)
                .should().onlyDependOnClassesThat(DescribedPredicate.describe("outside misp-sentinel, stand-ins or the DemoEstate",
                        (JavaClass type) -> !type.getPackageName().startsWith("org.mispsentinel")
                                || type.getPackageName().equals("org.mispsentinel.standin")
                                || type.isEquivalentTo(DemoEstate.class)))
                .check(demo);
    }
}
