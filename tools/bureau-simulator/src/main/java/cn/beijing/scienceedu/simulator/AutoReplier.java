package cn.beijing.scienceedu.simulator;

import java.time.Instant;
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
 * progress, then (every {@code sim.auto-reply-submit-every}-th task, of a bureau on track) submits,
 * {@code sim.auto-reply-delay} apart, in its own protocol. What each answer says — the bureau's own time, its
 * status with problems and next steps, KPI values for its task's measure over the {@link SyntheticRegister},
 * evidence — is {@link BureauAnswers}' (by unit, so tests can predict it).
 */
@Component
public class AutoReplier implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AutoReplier.class);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final BureauAnswers answers;

    public AutoReplier(Recorder recorder, Sender sender, SimSettings settings, BureauAnswers answers) {
        this.answers = answers;
        recorder.onReceived(r -> {
            if (!settings.isAutoReply() || !r.valid() || !"ASSIGNMENT".equals(r.kind())) {
                return;
            }
            long step = settings.getAutoReplyDelay().toMillis();
            schedule(sender, r, "SIGN_FOR", step);
            schedule(sender, r, "PROGRESS", 2 * step);
            int every = Math.max(1, settings.getAutoReplySubmitEvery());
            if (answers.submits(r.unit()) && Math.floorMod(r.taskId() == null ? 0 : r.taskId().hashCode(), every) == 0) {
                schedule(sender, r, "SUBMISSION", 3 * step);
            }
        });
    }

    private void schedule(Sender sender, Received r, String kind, long delay) {
        timer.schedule(() -> {
            try {
                sender.send(r.unit(), answer(r, kind));
            } catch (RuntimeException e) {
                log.warn("{} auto {} for {} failed: {}", r.unit(), kind, r.taskId(), e.getMessage());
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * One answer per assignment RECEIVED: a redelivered assignment (after a garbage reply or a replay) gets answers of
     * its own — reusing the first ones' ids would only replay the hub's earlier refusal.
     */
    Map<String, Object> answer(Received r, String kind) {
        return answers.answer(r, kind, r.unit() + "-" + kind + "-" + r.taskId() + "-" + r.seq(), Instant.now());
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
