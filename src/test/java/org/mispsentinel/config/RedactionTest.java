package org.mispsentinel.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void everySecretSettingIsMaskedInLogText() {
        Secret secret = Secret.of("s3cr3t-for-redaction-test");

        assertThat(Redaction.apply("header Authorization: s3cr3t-for-redaction-test sent"))
                .isEqualTo("header Authorization: **** sent");
        assertThat(secret.toString()).isEqualTo("****");
    }

    @Test
    void shortValuesAreNotTreatedAsSecretsSoOrdinaryWordsSurvive() {
        Redaction.register("true");

        assertThat(Redaction.apply("enabled=true")).isEqualTo("enabled=true");
    }
}
