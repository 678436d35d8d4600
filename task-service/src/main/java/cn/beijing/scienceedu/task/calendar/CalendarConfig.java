package cn.beijing.scienceedu.task.calendar;

import java.nio.file.Path;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.beijing.scienceedu.contracts.calendar.WorkingDaysSource;

@Configuration
@EnableConfigurationProperties(CalendarProperties.class)
class CalendarConfig {

    private static final Logger log = LoggerFactory.getLogger(CalendarConfig.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The shipped calendar plus the operator's file; a file that does not read at start stops the start. */
    @Bean
    WorkingDaysSource workingDaysSource(CalendarProperties properties) {
        String file = properties.getFile();
        WorkingDaysSource source = new WorkingDaysSource(file == null || file.isBlank() ? null : Path.of(file.trim()),
                properties.getRecheck(), problem -> log.warn(problem));
        log.info("working-day calendar: years {}{}", source.get().knownYears(),
                source.file() == null ? "" : " (with " + source.file() + ")");
        return source;
    }

    @Bean
    WorkingCalendar workingCalendar(CalendarProperties properties, WorkingDaysSource days, Clock clock) {
        return new WorkingCalendar(days, clock, properties.getZone());
    }
}
