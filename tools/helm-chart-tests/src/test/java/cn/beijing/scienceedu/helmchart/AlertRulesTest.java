package cn.beijing.scienceedu.helmchart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The PrometheusRule alerts on metrics the services really register, with labels those metrics carry. */
class AlertRulesTest {

    /** Labels Prometheus (Operator) adds to every scraped series, and Micrometer's common tag. */
    private static final Set<String> TARGET_LABELS = Set.of("namespace", "pod", "job", "instance", "service",
            "container", "endpoint", "application");
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "max", "min", "avg", "count", "by", "without",
            "delta", "rate", "increase", "irate", "deriv", "and", "or", "unless", "on", "ignoring", "group_left",
            "group_right", "bool", "offset", "histogram_quantile", "abs", "clamp_min", "clamp_max", "time", "vector",
            "topk", "bottomk", "absent", "max_over_time", "min_over_time", "avg_over_time");
    private static final Pattern METRIC = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*}|\\[)");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");

    @Test
    void everyAlertNamesAMeterTheServicesRegisterAndOnlyItsLabels() {
        Map<String, Set<String>> meters = ServiceSources.hubMeters();
        assertThat(meters).as("meters found in the services' sources")
                .containsKeys("hub_adapters_parked_messages", "hub_outbox_lag_seconds");

        List<Map<String, Object>> rules = rules();
        assertThat(rules).hasSize(4);
        for (Map<String, Object> rule : rules) {
            String expr = (String) rule.get("expr");
            Set<String> metrics = new TreeSet<>();
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                if (!PROMQL_WORDS.contains(m.group(1))) {
                    metrics.add(m.group(1));
                }
            }
            assertThat(metrics).as("metrics in %s: %s", rule.get("alert"), expr).isNotEmpty();
            assertThat(meters.keySet()).as("meters the services register (alert %s)", rule.get("alert")).containsAll(metrics);

            Set<String> labels = new TreeSet<>();
            Matcher g = GROUPING.matcher(expr);
            while (g.find()) {
                for (String label : g.group(1).split(",")) {
                    if (!label.isBlank()) {
                        labels.add(label.trim());
                    }
                }
            }
            Matcher sel = Pattern.compile("\\{([^}]*)}").matcher(expr);
            while (sel.find()) {
                Matcher lm = MATCHER.matcher(sel.group(1));
                while (lm.find()) {
                    labels.add(lm.group(1));
                }
            }
            Set<String> known = new TreeSet<>(TARGET_LABELS);
            metrics.forEach(metric -> known.addAll(meters.get(metric)));
            assertThat(known).as("labels %s of alert %s exist on %s", labels, rule.get("alert"), metrics).containsAll(labels);
        }
    }

    @Test
    void theFourAlertsOfTheIssueAreThere() {
        assertThat(rules()).extracting(r -> r.get("alert")).containsExactly("BureauHubParkedMessagesGrowing",
                "BureauHubCircuitBreakerOpen", "BureauHubOutboxLag", "BureauHubReportLag");
        assertThat(rules()).extracting(r -> (String) r.get("expr"))
                .anySatisfy(e -> assertThat(e).contains("hub_adapters_parked_messages"))
                .anySatisfy(e -> assertThat(e).contains("hub_adapters_circuit_open"))
                .anySatisfy(e -> assertThat(e).contains("hub_outbox_lag_seconds"))
                .anySatisfy(e -> assertThat(e).contains("hub_reporting_projection_lag_seconds"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() {
        GenericKubernetesResource rule = (GenericKubernetesResource) HubChart.renderProd().ofKind("PrometheusRule").get(0);
        Map<String, Object> spec = (Map<String, Object>) rule.getAdditionalProperties().get("spec");
        return (List<Map<String, Object>>) ((List<Map<String, Object>>) spec.get("groups")).get(0).get("rules");
    }
}
