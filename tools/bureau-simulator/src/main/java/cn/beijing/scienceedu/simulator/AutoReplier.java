package cn.beijing.scienceedu.simulator;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * With {@code sim.auto-reply=true}: after each valid assignment a bureau signs for it, then reports
 * progress, then submits, {@code sim.auto-reply-delay} apart, in its own protocol.
 */
@Component
public class AutoReplier implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AutoReplier.class);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    public AutoReplier(Recorder recorder, Sender sender, SimSettings settings) {
        recorder.onReceived(r -> {
            if (!settings.isAutoReply() || !r.valid() || !"ASSIGNMENT".equals(r.kind())) {
                return;
            }
            long step = settings.getAutoReplyDelay().toMillis();
            schedule(sender, r, "SIGN_FOR", step);
            schedule(sender, r, "PROGRESS", 2 * step);
            schedule(sender, r, "SUBMISSION", 3 * step);
        });
    }

    private void schedule(Sender sender, Received r, String kind, long delay) {
        timer.schedule(() -> {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("messageId", r.unit() + "-" + kind + "-" + r.taskId());
            report.put("kind", kind);
            report.put("taskId", r.taskId());
            report.put("unitCode", r.unit());
            switch (kind) {
                case "SIGN_FOR" -> report.put("signedBy", r.unit() + " 系统");
                case "PROGRESS" -> {
                    report.put("period", LocalDate.now().getYear() + "-Q" + ((LocalDate.now().getMonthValue() - 1) / 3 + 1));
                    report.put("percentComplete", 50);
                    report.put("narrative", "按计划推进");
                }
                default -> report.put("summary", "任务已完成，成果已报送");
            }
            try {
                sender.send(r.unit(), report);
            } catch (RuntimeException e) {
                log.warn("{} auto {} for {} failed: {}", r.unit(), kind, r.taskId(), e.getMessage());
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
