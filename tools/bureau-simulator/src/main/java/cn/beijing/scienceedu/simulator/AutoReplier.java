package cn.beijing.scienceedu.simulator;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * progress, then (every {@code sim.auto-reply-submit-every}-th task) submits, {@code sim.auto-reply-delay}
 * apart, in its own protocol. REST bureaus report school-level KPI values for the {@link SyntheticRegister}.
 */
@Component
public class AutoReplier implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AutoReplier.class);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    /** The school-level KPI the REST bureaus report per synthetic school (a catalogue KPI of the notice). */
    static final String SCHOOL_KPI = "LAB_EQUIPMENT_USAGE_RATE";

    private final SyntheticRegister register;

    public AutoReplier(Recorder recorder, Sender sender, SimSettings settings, SyntheticRegister register) {
        this.register = register;
        recorder.onReceived(r -> {
            if (!settings.isAutoReply() || !r.valid() || !"ASSIGNMENT".equals(r.kind())) {
                return;
            }
            long step = settings.getAutoReplyDelay().toMillis();
            schedule(sender, r, "SIGN_FOR", step);
            schedule(sender, r, "PROGRESS", 2 * step);
            int every = Math.max(1, settings.getAutoReplySubmitEvery());
            if (Math.floorMod(r.taskId() == null ? 0 : r.taskId().hashCode(), every) == 0) {
                schedule(sender, r, "SUBMISSION", 3 * step);
            }
        });
    }

    private void schedule(Sender sender, Received r, String kind, long delay) {
        timer.schedule(() -> {
            Map<String, Object> report = new LinkedHashMap<>();
            // one answer per assignment RECEIVED: a redelivered assignment (after a garbage reply or a replay) gets
            // answers of its own — reusing the first ones' ids would only replay the hub's earlier refusal
            report.put("messageId", r.unit() + "-" + kind + "-" + r.taskId() + "-" + r.seq());
            report.put("kind", kind);
            report.put("taskId", r.taskId());
            report.put("unitCode", r.unit());
            switch (kind) {
                case "SIGN_FOR" -> report.put("signedBy", r.unit() + " 系统");
                case "PROGRESS" -> {
                    report.put("period", LocalDate.now().getYear() + "-Q" + ((LocalDate.now().getMonthValue() - 1) / 3 + 1));
                    report.put("percentComplete", 50);
                    report.put("narrative", "按计划推进");
                    if ("REST".equals(r.protocol())) {
                        report.put("kpiValues", schoolKpis(r.taskId()));
                    }
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

    /** Three synthetic schools per task, chosen by the task id, each with a usage rate between 60 and 95 %. */
    List<Map<String, Object>> schoolKpis(String taskId) {
        List<SyntheticRegister.School> schools = register.schools();
        int h = Math.floorMod(taskId == null ? 0 : taskId.hashCode(), schools.size());
        List<Map<String, Object>> values = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SyntheticRegister.School s = schools.get((h + i * 7) % schools.size());
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("code", SCHOOL_KPI);
            v.put("value", 60 + Math.floorMod(h * 31 + i * 13, 36));
            v.put("level", "SCHOOL");
            v.put("districtCode", s.districtCode());
            v.put("schoolCode", s.code());
            values.add(v);
        }
        return values;
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
