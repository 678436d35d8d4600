package cn.beijing.scienceedu.reporting.report;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import cn.beijing.scienceedu.contracts.reporting.model.Correction;
import cn.beijing.scienceedu.reporting.report.ReportData.Change;
import cn.beijing.scienceedu.reporting.report.ReportData.Progress;
import cn.beijing.scienceedu.reporting.shared.Period;

/**
 * Late facts about a closed period (更正): task changes that happened in it and progress reports of it (by their own
 * period), received after it was closed; an event that carried a progress report counts as the report, not as a task
 * change. In order of receipt.
 */
final class Corrections {

    private Corrections() {
    }

    static List<Correction> of(ReportData data, Period closed, Instant closedAt, ZoneId zone) {
        List<Correction> out = new ArrayList<>();
        Set<String> reportEvents = data.reportEventsAfterClose();
        for (Change c : data.changes()) {
            if (c.receivedAt().isAfter(closedAt) && closed.contains(c.at(), zone) && !reportEvents.contains(c.eventId())) {
                Correction k = new Correction();
                k.setCorrectsPeriod(closed.id());
                k.setKind(c.kind());
                k.setTaskId(c.taskId());
                k.setMeasureNo(c.measureNo());
                k.setUnitCode(c.unitCode());
                k.setEventId(c.eventId());
                k.setOccurredAt(c.at().atOffset(ZoneOffset.UTC));
                k.setReceivedAt(c.receivedAt().atOffset(ZoneOffset.UTC));
                k.setNote("更正：" + closed.id() + " 关账后收到 / received after " + closed.id() + " was closed");
                out.add(k);
            }
        }
        for (Progress p : data.progress()) {
            if (p.receivedAt().isAfter(closedAt) && Period.isValid(p.period()) && closed.contains(Period.parse(p.period()))) {
                Correction k = new Correction();
                k.setCorrectsPeriod(closed.id());
                k.setKind("task.progress-reported");
                k.setTaskId(p.taskId());
                k.setMeasureNo(p.measureNo());
                k.setUnitCode(p.unitCode());
                k.setReportId(p.reportId());
                k.setEventId(p.eventId());
                k.setOccurredAt(p.reportedAt().atOffset(ZoneOffset.UTC));
                k.setReceivedAt(p.receivedAt().atOffset(ZoneOffset.UTC));
                k.setNote("更正：" + closed.id() + " 的进展报送在关账后收到 / progress report for " + closed.id()
                        + " received after it was closed");
                out.add(k);
            }
        }
        out.sort(Comparator.comparing(Correction::getReceivedAt));
        return out;
    }
}
