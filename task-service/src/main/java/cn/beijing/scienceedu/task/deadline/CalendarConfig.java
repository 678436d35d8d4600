package cn.beijing.scienceedu.task.deadline;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
@EnableConfigurationProperties(CalendarProperties.class)
class CalendarConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    WorkingCalendar workingCalendar(CalendarProperties properties, Clock clock) {
        return new WorkingCalendar(properties, clock);
    }
}
