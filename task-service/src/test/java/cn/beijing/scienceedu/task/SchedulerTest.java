package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.github.kagkarlsson.scheduler.Scheduler;

import cn.beijing.scienceedu.task.calendar.WorkingCalendar;
import cn.beijing.scienceedu.task.urging.DeadlineScan;
import cn.beijing.scienceedu.task.urging.SchedulingConfig;
import cn.beijing.scienceedu.task.urging.UrgingProperties;

class SchedulerTest extends IntegrationTest {

    @Autowired
    DataSource dataSource;
    @Autowired
    DeadlineScan scan;
    @Autowired
    WorkingCalendar calendar;

    @Test
    void twoSchedulerInstancesOnOneDatabaseSendEachReminderAndUrgingExactlyOnce() throws Exception {
        String policy = freshPlannedPolicy("test-scheduler");
        mvc.perform(jsonPost("/api/v1/policies/" + policy + "/dispatch", liaison(), "{}"));
        LocalDate today = calendar.today();
        String soon = policy + ".M01.SJW"; // due in one working day: the 5- and the 1-day reminder, sent once
        String late = policy + ".M02.SJW"; // 6 working days overdue: overdue notice and urging level 3
        jdbc.update("update task set deadline = ? where id = ?", calendar.plusWorkingDays(today, 1), soon);
        jdbc.update("update task set deadline = ? where id = ?", today.minusDays(14), late);

        UrgingProperties props = new UrgingProperties();
        props.setScanInterval(Duration.ofMillis(300));
        props.setPollingInterval(Duration.ofMillis(100));
        Scheduler a = SchedulingConfig.newScheduler(dataSource, scan, props, "replica-a");
        Scheduler b = SchedulingConfig.newScheduler(dataSource, scan, props, "replica-b");
        a.start();
        b.start();
        try {
            Thread.sleep(6000);
        } finally {
            a.stop();
            b.stop();
        }
        List<String> runs = jdbc.queryForList("select picked_by from scheduled_tasks where task_name = ?", String.class,
                SchedulingConfig.SCAN_TASK);
        assertThat(runs).hasSize(1); // one recurring execution row shared by both replicas

        Map<String, Integer> counts = Map.of(
                "soon-reminders", count(soon, "task.urged", "REMINDER"),
                "late-overdue", count(late, "task.overdue", null),
                "late-urgings", count(late, "task.urged", "URGING"));
        assertThat(counts).containsEntry("soon-reminders", 1).containsEntry("late-overdue", 1)
                .containsEntry("late-urgings", 1);
        assertThat(jdbc.queryForObject("select urging_level from task where id = ?", Integer.class, late)).isEqualTo(3);
        assertThat(jdbc.queryForObject("select rating from task where id = ?", String.class, late)).isEqualTo("RED");
        // other tasks, far from their deadline, got nothing
        assertThat(jdbc.queryForObject("select count(*) from outbox where routing_key = 'task.urged' and subject like ? "
                + "and subject not in (?, ?)", Integer.class, policy + ".%", soon, late)).isZero();
        // a further scan sends nothing new
        assertThat(scan.run()).isZero();
        // the list filters find it
        tools.jackson.databind.JsonNode overdue = body(mvc.perform(
                org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/api/v1/tasks")
                        .param("policyId", policy).param("overdue", "true").header("Authorization", liaison()))
                .andReturn());
        assertThat(overdue.get("totalItems").asInt()).isEqualTo(1);
        assertThat(overdue.get("items").get(0).get("id").asString()).isEqualTo(late);
        assertThat(overdue.get("items").get(0).get("overdue").asBoolean()).isTrue();
        tools.jackson.databind.JsonNode red = body(mvc.perform(
                org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/api/v1/tasks")
                        .param("policyId", policy).param("rating", "RED").header("Authorization", liaison()))
                .andReturn());
        assertThat(red.get("totalItems").asInt()).isEqualTo(1);
    }

    private int count(String taskId, String kind, String urgingKind) {
        List<String> payloads = jdbc.queryForList("select payload from outbox where subject = ? and routing_key = ?",
                String.class, taskId, kind);
        if (urgingKind == null) {
            return payloads.size();
        }
        return (int) payloads.stream().map(json::readTree)
                .filter(p -> urgingKind.equals(p.get("data").get("urging").get("kind").asString())).count();
    }
}
