package cn.beijing.scienceedu.task.urging;

import javax.sql.DataSource;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

/**
 * db-scheduler: the deadline scan is a recurring task in the {@code scheduled_tasks} table; whichever
 * replica picks an execution runs it, and only that one (optimistic locking on the row).
 */
@Configuration
@EnableConfigurationProperties(UrgingProperties.class)
public class SchedulingConfig implements SmartLifecycle {

    public static final String SCAN_TASK = "task-deadline-scan";

    private final DataSource dataSource;
    private final DeadlineScan scan;
    private final UrgingProperties props;
    private volatile Scheduler scheduler;

    public SchedulingConfig(DataSource dataSource, DeadlineScan scan, UrgingProperties props) {
        this.dataSource = dataSource;
        this.scan = scan;
        this.props = props;
    }

    /** The recurring task definition (also used by tests that start extra scheduler instances). */
    public static RecurringTask<Void> scanTask(DeadlineScan scan, UrgingProperties props) {
        return Tasks.recurring(SCAN_TASK, FixedDelay.of(props.getScanInterval())).execute((inst, ctx) -> scan.run());
    }

    /** A scheduler instance running the scan against {@code dataSource}. */
    public static Scheduler newScheduler(DataSource dataSource, DeadlineScan scan, UrgingProperties props, String name) {
        return Scheduler.create(dataSource)
                .startTasks(scanTask(scan, props))
                .schedulerName(new com.github.kagkarlsson.scheduler.SchedulerName.Fixed(name))
                .pollingInterval(props.getPollingInterval())
                .threads(2)
                .build();
    }

    @EventListener(ApplicationReadyEvent.class)
    void startScheduler() {
        if (props.isSchedulerEnabled() && scheduler == null) {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "task-service";
            }
            scheduler = newScheduler(dataSource, scan, props, host + "-" + ProcessHandle.current().pid());
            scheduler.start();
        }
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
        Scheduler s = scheduler;
        scheduler = null;
        if (s != null) {
            s.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
