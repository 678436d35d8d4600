package cn.beijing.scienceedu.reporting;

import java.time.ZoneId;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

import cn.beijing.scienceedu.contracts.reporting.model.ScoringRule;

/** {@code hub.reporting.*} settings. */
@ConfigurationProperties("hub.reporting")
public record ReportingProperties(
        String zone,
        String defaultPolicy,
        String taskServiceUrl,
        Dashboard dashboard,
        OnTime onTime,
        Circular circular,
        Pdf pdf,
        String calendarFile,
        java.time.Duration calendarRecheck,
        Cache cache) {

    public ReportingProperties {
        if (zone == null) zone = "Asia/Shanghai";
        if (defaultPolicy == null) defaultPolicy = "bj-sciedu-20-2024";
        if (taskServiceUrl == null) taskServiceUrl = "http://localhost:8081";
        if (dashboard == null) dashboard = new Dashboard("", 3);
        if (onTime == null) onTime = new OnTime(3, 5);
        if (circular == null) circular = new Circular(null);
        if (pdf == null) pdf = new Pdf(List.of());
        if (calendarFile != null && calendarFile.isBlank()) calendarFile = null;
        if (calendarRecheck == null) calendarRecheck = java.time.Duration.ofMinutes(1);
        if (cache == null) cache = new Cache(true, java.time.Duration.ofSeconds(60), 64, null);
    }

    public ZoneId zoneId() {
        return ZoneId.of(zone);
    }

    public record Dashboard(String taskApiBase, int refreshSeconds) {
        public Dashboard {
            if (taskApiBase == null) taskApiBase = "";
            if (refreshSeconds <= 0) refreshSeconds = 3;
        }
    }

    public record OnTime(int signForDays, int reportGraceDays) {
    }

    /**
     * {@code scoring}: the circular's scoring rule (情况通报评分规则), the contract's {@code ScoringRule} as the circular
     * publishes it; 60/20/20/2/1 when not configured, a weight or penalty left out counts 0.
     */
    public record Circular(ScoringRule scoring) {
        public Circular {
            if (scoring == null) {
                scoring = new ScoringRule(60.0, 20.0, 20.0, 2.0, 1.0);
            }
            scoring = new ScoringRule(orZero(scoring.getBase()), orZero(scoring.getSignForOnTimeWeight()),
                    orZero(scoring.getReportOnTimeWeight()), orZero(scoring.getOverduePenalty()),
                    orZero(scoring.getReturnedPenalty()));
        }

        private static double orZero(Double d) {
            return d == null ? 0 : d;
        }
    }

    public record Pdf(List<String> fonts) {
        public Pdf {
            if (fonts == null) fonts = List.of();
        }
    }

    /**
     * Built joint reports of open periods, kept per (policy, period) until the policy's read models change.
     * {@code maxAge} bounds how long a report built by this process is served when another replica applied the
     * change; {@code refreshAfter} is how long after a change a report read within {@code maxAge} is rebuilt in the
     * background (changes within it share one rebuild; zero = only on request).
     */
    public record Cache(boolean enabled, java.time.Duration maxAge, int maxEntries, java.time.Duration refreshAfter) {
        public Cache {
            if (maxAge == null) maxAge = java.time.Duration.ofSeconds(60);
            if (maxEntries <= 0) maxEntries = 64;
            if (refreshAfter == null) refreshAfter = java.time.Duration.ofMillis(200);
        }
    }
}
