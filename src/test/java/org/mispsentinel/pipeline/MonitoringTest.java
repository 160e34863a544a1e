package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.MispAttributes;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Grafana dashboard, the Prometheus alert rules and the Kubernetes probes of the distribution
 * (src/dist) against what the real application serves after a cycle, so that none of them can ask
 * for a series, a label or a path the code does not have.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitoringTest {

    static final Path DASHBOARD = Path.of("src/dist/monitoring/misp-sentinel.grafana.json");
    static final Path RULES = Path.of("src/dist/monitoring/misp-sentinel.rules.yaml");
    static final Path DEPLOYMENT = Path.of("src/dist/k8s/deployment.yaml");

    private SyncHarness harness;
    private ManagementServer management;
    /** Each series served, with every label any of its samples carries. */
    private final Map<String, Set<String>> served = new HashMap<>();

    @BeforeAll
    void oneCycleWithSomethingOfEveryKind(@TempDir Path temp) throws Exception {
        harness = SyncHarness.start(temp);
        management = ManagementServer.enable(harness);
        Attributes.addMix(harness.dataset, 30);
        // a skip, without which the skipped series does not exist yet
        harness.dataset.add(MispAttributes.attribute("text", "free text").toIds(true).timestamp(Attributes.T0));
        CycleReport report = harness.runCycle();
        assertThat(report.delivered()).isPositive();
        assertThat(report.skippedTotal()).isPositive();

        ManagementServer.Answer metrics = management.get("/observe/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        Pattern sample = Pattern.compile("^([A-Za-z_:][\\w:]*)(\\{([^}]*)})? ");
        Pattern label = Pattern.compile("(\\w+)=\"");
        for (String line : metrics.body().split("\n")) {
            Matcher m = sample.matcher(line);
            if (!line.startsWith("#") && m.find()) {
                Set<String> labels = served.computeIfAbsent(m.group(1), k -> new TreeSet<>());
                if (m.group(3) != null) {
                    Matcher l = label.matcher(m.group(3));
                    while (l.find()) {
                        labels.add(l.group(1));
                    }
                }
            }
        }
    }

    @AfterAll
    void stop() throws Exception {
        harness.close();
    }

    @Test
    void everySeriesTheDashboardQueriesIsServedWithTheLabelsItSelects() throws Exception {
        assertServed(dashboardExpressions());
    }

    @Test
    void everySeriesTheAlertRulesQueryIsServedWithTheLabelsTheySelect() throws Exception {
        assertServed(new ArrayList<>(alertRules().values()));
    }

    @Test
    void theDashboardCoversWhatOperatorsAskFor() throws Exception {
        Set<String> queried = new TreeSet<>();
        dashboardExpressions().forEach(e -> PromQlSelectors.of(e).forEach(s -> queried.add(s.name())));
        assertThat(queried).contains("misp_sentinel_cycles_total", "misp_sentinel_indicators_delivered_total",
                "misp_sentinel_throttled_total", "misp_sentinel_dead_lettered_total",
                "misp_sentinel_dead_letter_file_bytes", "misp_sentinel_checkpoint_age_seconds",
                "misp_sentinel_token_renewals_total");
    }

    @Test
    void theAlertRulesAreTheDocumentedOnes() throws Exception {
        String readme = Files.readString(Path.of("docs/operations.md"));
        int heading = readme.indexOf("alerts (Prometheus rule expressions)");
        int start = readme.indexOf("```yaml\n", heading) + "```yaml\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        Map<String, String> documented = new LinkedHashMap<>();
        for (Object rule : (List<?>) new Load(LoadSettings.builder().build()).loadFromString(block)) {
            Map<?, ?> r = (Map<?, ?>) rule;
            documented.put((String) r.get("alert"), (String) r.get("expr"));
        }
        assertThat(documented).isNotEmpty();
        assertThat(alertRules()).isEqualTo(documented);
    }

    @Test
    void theKubernetesProbesAskPathsTheManagementServerAnswers() throws Exception {
        Map<String, String> probes = new LinkedHashMap<>();
        Map<?, ?> deployment = (Map<?, ?>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(DEPLOYMENT));
        Map<?, ?> container = (Map<?, ?>) ((List<?>) at(deployment, "spec", "template", "spec", "containers")).get(0);
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            probes.put(probe, (String) at(container, probe, "httpGet", "path"));
        }
        assertThat(probes.values()).containsOnly("/observe/health/live", "/observe/health/ready")
                .contains("/observe/health/ready");
        for (Map.Entry<String, String> probe : probes.entrySet()) {
            // after a clean cycle, so ready is UP too: a probe answered 503 would mean a wrong path or a DOWN check
            assertThat(management.get(probe.getValue()).status()).as(probe.getKey() + " " + probe.getValue())
                    .isEqualTo(200);
        }
    }

    private void assertServed(List<String> expressions) {
        assertThat(expressions).isNotEmpty();
        for (String expression : expressions) {
            List<PromQlSelectors.Selector> selectors = PromQlSelectors.of(expression);
            assertThat(selectors).as("series in %s", expression).isNotEmpty()
                    .allSatisfy(s -> assertThat(s.name()).startsWith("misp_sentinel_"));
            for (PromQlSelectors.Selector s : selectors) {
                assertThat(served).as("the metrics endpoint after a cycle, for %s", expression).containsKey(s.name());
                assertThat(served.get(s.name())).as("labels of %s, for %s", s.name(), expression)
                        .containsAll(s.labels());
            }
        }
    }

    static List<String> dashboardExpressions() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> expressions = new ArrayList<>();
        collectTargets(dashboard.path("panels"), expressions);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                expressions.add(variable.path("query").path("query").asText());
                expressions.add(variable.path("definition").asText());
            }
        }
        return expressions;
    }

    private static void collectTargets(JsonNode panels, List<String> into) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                into.add(target.path("expr").asText());
            }
            collectTargets(panel.path("panels"), into); // the panels of a collapsed row
        }
    }

    /** alert name to expression */
    static Map<String, String> alertRules() throws Exception {
        Map<String, String> rules = new LinkedHashMap<>();
        Map<?, ?> file = (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(RULES));
        for (Object group : (List<?>) file.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                Map<?, ?> r = (Map<?, ?>) rule;
                rules.put((String) r.get("alert"), (String) r.get("expr"));
            }
        }
        return rules;
    }

    private static Object at(Map<?, ?> map, String... path) {
        Object node = map;
        for (String key : path) {
            node = ((Map<?, ?>) node).get(key);
        }
        return node;
    }
}
