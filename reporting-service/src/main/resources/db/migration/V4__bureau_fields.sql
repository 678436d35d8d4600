-- Issue 15: everything the task events now say about a task and a bureau's report.
-- The task's rating is the task-service's (one rule, task-api.yaml Rating): kept per event with its reason, never
-- recomputed here. Columns are nullable: events published before they existed carry none of it.
alter table task_change
    add column rating_reason      varchar(30),
    add column bureau_status      varchar(20),
    add column overdue            boolean,
    add column calendar_known     boolean,
    add column signed_by          varchar(200),
    add column signed_at          timestamptz,
    add column last_report_period varchar(10),
    add column last_report_at     timestamptz,
    -- an extension request's 申请人 and the bureau's own time of it
    add column extension_reporter     varchar(200),
    add column extension_requested_at timestamptz;
alter table task_state
    add column rating_reason      varchar(30),
    add column bureau_status      varchar(20),
    add column overdue            boolean,
    add column calendar_known     boolean,
    add column signed_by          varchar(200),
    add column signed_at          timestamptz,
    add column last_report_period varchar(10),
    add column last_report_at     timestamptz;

-- the bureau's full report: 存在问题, 下一步计划, 填报人 and its own time (sent_at; reported_at stays the hub's)
alter table progress_report
    add column problems   text,
    add column next_steps text,
    add column reporter   varchar(200),
    add column sent_at    timestamptz;

-- 佐证材料 of a report: name, size, SHA-256 (the bytes are the task-service's, by attachmentId)
create table progress_evidence (
    report_id     varchar(100) not null references progress_report (report_id) on delete cascade,
    seq           integer      not null,
    name          varchar(255) not null,
    content_type  varchar(100),
    size          bigint       not null,
    sha256        varchar(64)  not null,
    attachment_id varchar(64),
    primary key (report_id, seq)
);
