package cn.beijing.scienceedu.task.urging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Reminders before a deadline and urging (督办) after it. */
@ConfigurationProperties("hub.urging")
public class UrgingProperties {

    /** Reminders this many working days before the deadline (e.g. 5 and 1). */
    private List<Integer> reminderWorkingDays = new ArrayList<>(List.of(5, 1));
    /**
     * Urging steps after the deadline: level i+1 once the task is this many working days overdue — level 1
     * the unit, level 2 the measure's lead unit, level 3 the commission.
     */
    private List<Integer> escalationWorkingDays = new ArrayList<>(List.of(1, 3, 5));
    /** Unit code that stands for the commission at level 3. */
    private String commissionUnit = "SJW";
    /** Whether this replica runs the db-scheduler (the scheduler itself is cluster-safe). */
    private boolean schedulerEnabled = true;
    /** How often the deadline scan runs. */
    private Duration scanInterval = Duration.ofMinutes(5);
    /** How often db-scheduler polls its table for due executions. */
    private Duration pollingInterval = Duration.ofSeconds(10);

    public List<Integer> getReminderWorkingDays() {
        return reminderWorkingDays;
    }

    public void setReminderWorkingDays(List<Integer> reminderWorkingDays) {
        this.reminderWorkingDays = reminderWorkingDays;
    }

    public List<Integer> getEscalationWorkingDays() {
        return escalationWorkingDays;
    }

    public void setEscalationWorkingDays(List<Integer> escalationWorkingDays) {
        this.escalationWorkingDays = escalationWorkingDays;
    }

    public String getCommissionUnit() {
        return commissionUnit;
    }

    public void setCommissionUnit(String commissionUnit) {
        this.commissionUnit = commissionUnit;
    }

    public boolean isSchedulerEnabled() {
        return schedulerEnabled;
    }

    public void setSchedulerEnabled(boolean schedulerEnabled) {
        this.schedulerEnabled = schedulerEnabled;
    }

    public Duration getScanInterval() {
        return scanInterval;
    }

    public void setScanInterval(Duration scanInterval) {
        this.scanInterval = scanInterval;
    }

    public Duration getPollingInterval() {
        return pollingInterval;
    }

    public void setPollingInterval(Duration pollingInterval) {
        this.pollingInterval = pollingInterval;
    }
}
