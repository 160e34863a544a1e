package org.mispsentinel.launcher.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mispsentinel.config.Secret;
import org.slf4j.LoggerFactory;

class RedactedJsonEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode encode(LoggingEvent event) throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        RedactedJsonEncoder encoder = new RedactedJsonEncoder();
        encoder.setContext(context);
        encoder.start();
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        return JSON.readTree(line);
    }

    private static Logger logger() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("json-mask");
    }

    /** Client secrets hold '/' and '+', passwords '"' and '\'; JSON escapes the first and the last two. */
    @Test
    void jsonLogsMaskASecretWhateverCharactersItHolds() throws Exception {
        for (String secret : new String[] {"AbC1/dEf2+gHi3/jKl4=", "pa\"ss\\word-77", "tab\there-and-\u0001-ctl"}) {
            Secret.of(secret);
            LoggingEvent event = new LoggingEvent("json-mask", logger(), Level.WARN, "a library printed {}", null,
                    new Object[] {secret});

            JsonNode line = encode(event);

            assertThat(line.path("formattedMessage").asText()).isEqualTo("a library printed ****");
            assertThat(line.toString()).doesNotContain(secret);
        }
    }

    @Test
    void anExceptionMessageAndItsCauseAreMaskedInJsonLogs() throws Exception {
        String secret = "Zx9/Qw8\"Er7\\Ty6";
        Secret.of(secret);
        Exception failure = new IllegalStateException("refused " + secret,
                new RuntimeException("cause carried " + secret));
        LoggingEvent event = new LoggingEvent("json-mask", logger(), Level.ERROR, "token request failed", failure, null);

        JsonNode line = encode(event);

        assertThat(line.path("throwable").toString()).contains("****").doesNotContain("Zx9");
    }
}
