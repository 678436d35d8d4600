package cn.beijing.scienceedu.task.deadline;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The working-day calendar, per year: public holidays (法定节假日, days off that would otherwise be
 * working days) and 调休 make-up working days (weekend days that are working days). Years not configured
 * count Monday–Friday.
 */
@ConfigurationProperties("hub.calendar")
public class CalendarProperties {

    /** Business zone: "today" is the date in this zone. */
    private String zone = "Asia/Shanghai";

    /** Per year: holidays and make-up working days. */
    private Map<Integer, Year> years = new LinkedHashMap<>();

    public String getZone() {
        return zone;
    }

    public void setZone(String zone) {
        this.zone = zone;
    }

    public Map<Integer, Year> getYears() {
        return years;
    }

    public void setYears(Map<Integer, Year> years) {
        this.years = years;
    }

    public static class Year {
        private List<LocalDate> holidays = new ArrayList<>();
        private List<LocalDate> workdays = new ArrayList<>();

        public List<LocalDate> getHolidays() {
            return holidays;
        }

        public void setHolidays(List<LocalDate> holidays) {
            this.holidays = holidays;
        }

        public List<LocalDate> getWorkdays() {
            return workdays;
        }

        public void setWorkdays(List<LocalDate> workdays) {
            this.workdays = workdays;
        }
    }
}
