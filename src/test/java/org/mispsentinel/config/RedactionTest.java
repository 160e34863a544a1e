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

    @Test
    void theLatestTokenOfEveryIdentityStaysMaskedHoweverManyIdentitiesThereAre() {
        int identities = 12;
        String[] latest = new String[identities];
        for (int renewal = 0; renewal < 3; renewal++) {
            for (int i = 0; i < identities; i++) {
                latest[i] = "eyJ0eXAiOiJKV1QiLCJhbGciOi.identity" + i + ".renewal" + renewal + ".signature";
                Redaction.registerToken("tenant/client-" + i, latest[i]);
            }
        }

        for (String token : latest) {
            assertThat(Redaction.apply("Authorization: Bearer " + token)).isEqualTo("Authorization: Bearer ****");
        }
        // a year of hourly renewals must not grow the mask: an identity's old tokens leave it
        assertThat(Redaction.apply("eyJ0eXAiOiJKV1QiLCJhbGciOi.identity0.renewal0.signature"))
                .isEqualTo("eyJ0eXAiOiJKV1QiLCJhbGciOi.identity0.renewal0.signature");
    }
}
