package cn.beijing.scienceedu.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The kept joint report of an open period: a reader never gets one older than a change committed before it
 * asked; another policy's events leave it kept; a report read lately is rebuilt in the background after a change
 * of its policy, so that the next reader finds it built.
 */
class ReportCacheTest extends ReportingTestBase {

    private static final String A = "cache-a";
    private static final String B = "cache-b";
    private static final String MEASURES_A = "/api/v1/reports/measures?policy=" + A + "&period=2025";
    private static final OffsetDateTime T0 = OffsetDateTime.of(2025, 5, 6, 9, 0, 0, 0, ZoneOffset.ofHours(8));
    private static final LocalDate DEADLINE = LocalDate.of(2025, 12, 31);

    @Autowired
    MeterRegistry meters;

    private double builds(String policy, String trigger) {
        var t = meters.find("hub_reporting_report_build").tag("policy", policy).tag("trigger", trigger).timer();
        return t == null ? 0 : t.count();
    }

    private double answeredFromCache() {
        return meters.get("hub_reporting_report_cache").tag("result", "hit").counter().count()
                + meters.get("hub_reporting_report_cache").tag("result", "joined").counter().count();
    }

    private static TaskEvents progress(String policy, String task, int version, int percent) {
        return TaskEvents.task("task.progress-reported", policy, task, 5, "SJW", "SJW", "IN_PROGRESS", version,
                T0.plusMinutes(version)).deadline(DEADLINE)
                .progress(task + "-pr-" + version, "2025-05", "ON_TRACK", percent, "第" + version + "次报送", null);
    }

    private int measure5Percent() {
        return getJson(MEASURES_A).get(4).get("percentComplete").asInt();
    }

    @Test
    void aKeptReportIsNeverOlderThanTheChangesCommittedBeforeTheRequest() {
        policyCopy(A);
        policyCopy(B);
        publish(TaskEvents.task("task.planned", A, "cache-a-1", 5, "SJW", "SJW", "PLANNED", 1, T0).deadline(DEADLINE));
        publish(TaskEvents.task("task.planned", B, "cache-b-1", 5, "SJW", "SJW", "PLANNED", 1, T0).deadline(DEADLINE));
        await("both planned", Duration.ofSeconds(20), () -> eventsApplied(A) == 1 && eventsApplied(B) == 1);

        assertThat(measure5Percent()).isZero();
        double afterFirst = builds(A, "request") + builds(A, "refresh");
        assertThat(measure5Percent()).isZero();
        assertThat(builds(A, "request") + builds(A, "refresh")).as("a second read with nothing changed builds nothing")
                .isEqualTo(afterFirst);

        // another policy's event leaves A's report kept
        publish(progress(B, "cache-b-1", 2, 30));
        await("B's report applied", Duration.ofSeconds(20), () -> eventsApplied(B) == 2);
        assertThat(measure5Percent()).isZero();
        assertThat(builds(A, "request") + builds(A, "refresh")).as("B's event does not rebuild A's report")
                .isEqualTo(afterFirst);

        // A's own events: as soon as one is in the database, the next read shows it (built by the reader or by
        // the background rebuild, never the report kept from before)
        for (int i = 1; i <= 20; i++) {
            int version = 1 + i;
            publish(progress(A, "cache-a-1", version, i * 4));
            await("A's report " + i + " applied", Duration.ofSeconds(20), () -> eventsApplied(A) == version);
            assertThat(measure5Percent()).as("read right after report " + i + " was applied").isEqualTo(i * 4);
        }
    }

    @Test
    void aReportReadLatelyIsRebuiltInTheBackgroundAfterAChange() {
        String policy = "cache-c";
        String measures = "/api/v1/reports/measures?policy=" + policy + "&period=2025";
        policyCopy(policy);
        publish(TaskEvents.task("task.planned", policy, "cache-c-1", 5, "SJW", "SJW", "PLANNED", 1, T0).deadline(DEADLINE));
        await("planned", Duration.ofSeconds(20), () -> eventsApplied(policy) == 1);
        assertThat(getJson(measures).get(4).get("percentComplete").asInt()).isZero();

        double refreshed = builds(policy, "refresh");
        publish(progress(policy, "cache-c-1", 2, 77));
        await("the background rebuild after the change", Duration.ofSeconds(20), () -> builds(policy, "refresh") > refreshed);

        double requestBuilds = builds(policy, "request");
        double fromCache = answeredFromCache();
        assertThat(getJson(measures).get(4).get("percentComplete").asInt()).isEqualTo(77);
        assertThat(builds(policy, "request")).as("the reader after the change did not build the report").isEqualTo(requestBuilds);
        assertThat(answeredFromCache()).isGreaterThan(fromCache);
    }
}
