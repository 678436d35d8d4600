package cn.beijing.scienceedu.reporting.calendar;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.beijing.scienceedu.contracts.calendar.WorkingDaysSource;
import cn.beijing.scienceedu.reporting.ReportingProperties;

/**
 * The hub's one working-day calendar (contracts {@code calendar/working-days.yaml}), plus the years of the operator's
 * {@code hub.reporting.calendar-file} ({@code HUB_CALENDAR_FILE}), re-read when it changes: overdue days are counted on
 * it, and a deadline in a year it does not know is flagged rather than counted Monday–Friday in silence.
 */
@Configuration(proxyBeanMethods = false)
class CalendarConfig {

    private static final Logger log = LoggerFactory.getLogger(CalendarConfig.class);

    @Bean
    public WorkingDaysSource workingDays(ReportingProperties properties) {
        Path file = properties.calendarFile() == null ? null : Path.of(properties.calendarFile());
        WorkingDaysSource source = new WorkingDaysSource(file, properties.calendarRecheck(), log::warn);
        log.info("working-day calendar: years {}{}", source.get().knownYears(),
                file == null ? "" : " (with " + file + ")");
        return source;
    }
}
