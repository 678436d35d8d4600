package cn.beijing.scienceedu.task.calendar;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where "today" is, and where the working-day calendar comes from: the contracts' shipped
 * {@code calendar/working-days.yaml} ({@code WorkingDays}) plus, optionally, an operator's file of the same form
 * ({@code HUB_CALENDAR_FILE}) that adds or replaces years and is re-read when it changes.
 */
@ConfigurationProperties("hub.calendar")
public class CalendarProperties {

    /** Business zone: "today" is the date in this zone. */
    private String zone = "Asia/Shanghai";

    /** Operator's calendar file (same form as the contracts' working-days.yaml); empty = only the shipped years. */
    private String file = "";

    /** How often the operator's file is looked at for a change. */
    private Duration recheck = Duration.ofMinutes(1);

    public String getZone() {
        return zone;
    }

    public void setZone(String zone) {
        this.zone = zone;
    }

    public String getFile() {
        return file;
    }

    public void setFile(String file) {
        this.file = file;
    }

    public Duration getRecheck() {
        return recheck;
    }

    public void setRecheck(Duration recheck) {
        this.recheck = recheck;
    }
}
