package cn.beijing.scienceedu.task.lifecycle;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import cn.beijing.scienceedu.contracts.task.model.TaskStatus;

/** A task row (one measure × responsible unit). Mutable inside one transaction. */
public class TaskRecord {
    public String id;
    public String policyId;
    public Integer actionNo;
    public int measureNo;
    public String measureTitle;
    public String unitCode;
    public String unitName;
    public int unitOrder;
    public String leadUnitCode;
    public String role;
    /**
     * {@link Transitions#INITIAL} for a new task; changed only by {@link TaskChanges#transition}, through the table of
     * {@link Transitions} (checked by {@code ArchitectureTest}).
     */
    public TaskStatus status = Transitions.INITIAL;
    public String deliveryStatus;
    public List<String> workItems;
    public LocalDate deadline;
    public String deadlineSource;
    public String reportingCycle;
    public int percentComplete;
    public String lastReportStatus;
    public String lastReportPeriod;
    /** The bureau's own time of its last report (the receipt time when it sent none). */
    public OffsetDateTime lastReportAt;
    public String rating;
    /** The rule of {@link Ratings} that gave the rating. */
    public String ratingReason;
    /** Whether the deadline's year is in the working-day calendar (as last recorded). */
    public boolean calendarKnown = true;
    /** 签收人 and 签收时间, as the bureau sent them. */
    public String signedBy;
    public OffsetDateTime signedAt;
    /** The hub's time of the dispatch (a bureau's time before it is refused). */
    public OffsetDateTime dispatchedAt;
    public int urgingLevel;
    public long version;
    public OffsetDateTime plannedAt;
    public OffsetDateTime updatedAt;

    public boolean isClosed() {
        return Transitions.isClosed(status);
    }
}
