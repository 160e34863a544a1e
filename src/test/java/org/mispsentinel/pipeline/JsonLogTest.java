package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.launcher.logging.RedactedJsonEncoder;
import org.mispsentinel.standin.SentinelFault;

class JsonLogTest {

    @TempDir
    Path temp;

    @Test
    void jsonLinesOfACycleParseCarryStableFieldsAndMaskSecrets() throws Exception {
        RedactedJsonEncoder encoder = new RedactedJsonEncoder();
        encoder.setContext(new LoggerContext());
        encoder.start();
        try (SyncHarness h = SyncHarness.start(temp);
             LogCapture logs = LogCapture.start().level("org.mispsentinel", Level.INFO)) {
            h.set("sentinel.max-retries", "0");
            Attributes.addMix(h.dataset, 20);
            h.standIns.sentinel().enqueue(SentinelFault.status(401,
                    "{\"error\":\"token " + h.settings().getProperty("azure.client-secret") + " refused\"}",
                    Map.of()));
            h.runCycle();

            ObjectMapper json = new ObjectMapper();
            List<JsonNode> lines = new ArrayList<>();
            for (ILoggingEvent event : logs.events()) {
                String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
                assertThat(line).endsWith("\n").doesNotContain(h.settings().getProperty("azure.client-secret"))
                        .doesNotContain(h.settings().getProperty("misp.api-key"));
                assertThat(line.strip()).doesNotContain("\n");
                lines.add(json.readTree(line));
            }
            assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l.fieldNames()).toIterable()
                    .contains("timestamp", "level", "loggerName", "threadName", "formattedMessage"));
            assertThat(lines).anySatisfy(l -> {
                assertThat(l.path("formattedMessage").asText()).startsWith("cycle INCOMPLETE");
                assertThat(l.path("mdc").path("cycle").asText()).isNotEmpty();
            });
        }
    }

    @Test
    void theFirstLineOfARunNamesTheVersion() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp);
             LogCapture logs = LogCapture.start().level("org.mispsentinel", Level.INFO)) {
            Attributes.addMix(h.dataset, 4);
            h.runCycle();

            assertThat(logs.events()).first().extracting(ILoggingEvent::getFormattedMessage)
                    .isEqualTo(org.mispsentinel.observe.BuildInfo.line() + " starting");
            assertThat(org.mispsentinel.observe.BuildInfo.version()).isEqualTo(org.mispsentinel.VersionTest.pomVersion());
        }
    }

    @Test
    void logFormatJsonSwitchesTheShippedConfigurationToJsonLines() throws Exception {
        LoggerContext context = new LoggerContext();
        context.putProperty("LOG_FORMAT", "json");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/logback.xml"));

        List<Object> encoders = new ArrayList<>();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(a ->
                encoders.add(((OutputStreamAppender<ILoggingEvent>) a).getEncoder()));
        assertThat(encoders).singleElement().isInstanceOf(RedactedJsonEncoder.class);
        context.stop();
    }
}
