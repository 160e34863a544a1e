package org.mispsentinel.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mispsentinel.stix.AttributeBuilder.attribute;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mispsentinel.misp.MispAttribute;

/** STIX wants the hive of a registry key written in full; MISP users mostly write it short. */
class RegistryHiveTest {

    private static String key(Profile profile, String type, String value) {
        String pattern = new StixMapper(Fixtures.options(profile)).map(attribute(type, value).build())
                .indicators().get(0).pattern();
        return StixPatternChecker.parse(pattern).comparisons().get(0).value().toString();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "HKLM\\Software\\Run;HKEY_LOCAL_MACHINE\\Software\\Run",
        "HKCU\\Software\\Run;HKEY_CURRENT_USER\\Software\\Run",
        "HKCR\\exefile\\shell;HKEY_CLASSES_ROOT\\exefile\\shell",
        "HKU\\S-1-5-18\\Software;HKEY_USERS\\S-1-5-18\\Software",
        "HKCC\\System\\x;HKEY_CURRENT_CONFIG\\System\\x",
        "hklm\\software\\run;HKEY_LOCAL_MACHINE\\software\\run",
        "HkCu\\x;HKEY_CURRENT_USER\\x",
        "HKLM:\\Software\\x;HKEY_LOCAL_MACHINE\\Software\\x",
        "HKLM;HKEY_LOCAL_MACHINE"})
    void anAbbreviatedHiveIsWrittenInFullWhateverItsCase(String written, String expected) {
        assertThat(RegistryKeys.withFullHive(written)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HKEY_LOCAL_MACHINE\\Software\\x", "hkey_current_user\\x", "HKLMX\\Software",
        "HKL\\Software", "Software\\Microsoft\\Windows", "HKLM/Software", "HKLM:Software", "HKCUSoftware"})
    void keysWithAFullOrNoRecognisableHiveStayAsWritten(String written) {
        assertThat(RegistryKeys.withFullHive(written)).isEqualTo(written);
    }

    @ParameterizedTest
    @EnumSource(Profile.class)
    void regkeyAndRegkeyValueAttributesCarryTheFullHiveInBothProfiles(Profile profile) {
        assertThat(key(profile, "regkey", "HKCU\\Software\\Run"))
                .isEqualTo("HKEY_CURRENT_USER\\Software\\Run");
        assertThat(key(profile, "regkey|value", "hklm\\Software\\Run|C:\\evil.exe"))
                .isEqualTo("HKEY_LOCAL_MACHINE\\Software\\Run");
    }

    @ParameterizedTest
    @EnumSource(Profile.class)
    void registryKeyObjectsCarryTheFullHiveInBothProfiles(Profile profile) {
        List<MispAttribute> members = ObjectSamples.members("registry-key",
                ObjectSamples.m("key", "regkey", "HKU\\S-1-5-18\\Run", true), ObjectSamples.m("data", "text", "x", true));
        MispAttribute key = members.get(0).withObject(ObjectSamples.object("registry-key", "misc", members));

        String pattern = new StixMapper(Fixtures.options(profile)).map(key).indicators().get(0).pattern();

        assertThat(StixPatternChecker.parse(pattern).comparisons().get(0).value()).isEqualTo("HKEY_USERS\\S-1-5-18\\Run");
    }
}
