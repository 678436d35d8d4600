-- task-service schema (database hub_task). One policy = one imported catalogue; one task per measure x unit.

create table policy (
    id            text primary key,
    title         text not null,
    title_en      text,
    issued_on     date not null,
    catalogue     jsonb not null,              -- the whole catalogue (contracts' Policy) as imported
    measure_count int not null,
    unit_count    int not null,
    kpi_count     int not null,
    imported_at   timestamptz not null default now(),
    planned_at    timestamptz,                 -- null until the task plan exists
    default_deadline date,
    reporting_cycle  text
);

create table task (
    id               text primary key,         -- <policy>.M<nn>.<unit>
    policy_id        text not null references policy(id),
    action_no        int,
    measure_no       int not null,
    measure_title    text,
    unit_code        text not null,
    unit_name        text,
    unit_order       int not null,             -- 0 = lead unit (牵头单位)
    lead_unit_code   text not null,
    role             text not null,            -- LEAD / COOPERATING
    status           text not null,
    delivery_status  text not null,
    work_items       jsonb not null,
    deadline         date not null,
    deadline_source  text not null default 'POLICY', -- POLICY / MEASURE / TASK: which setting last set it
    reporting_cycle  text not null,
    percent_complete int not null default 0,
    last_report_status text,
    last_report_period text,
    last_report_at   timestamptz,
    rating           text not null default 'GREEN',
    urging_level     int not null default 0,
    version          bigint not null default 0,
    planned_at       timestamptz not null,
    updated_at       timestamptz not null,
    unique (policy_id, measure_no, unit_code)
);
create index task_filter_idx on task (policy_id, measure_no, role, unit_order);
create index task_unit_idx on task (unit_code);
create index task_status_idx on task (status);

create table task_history (
    id          bigserial primary key,
    task_id     text not null references task(id),
    kind        text not null,
    actor       text not null,
    actor_role  text,
    actor_unit  text,
    from_status text,
    to_status   text,
    reason      text,
    at          timestamptz not null,
    version     bigint not null
);
create index task_history_task_idx on task_history (task_id, id);

create table attachment (
    id           text primary key,
    task_id      text not null references task(id),
    file_name    text not null,
    content_type text not null,
    size         bigint not null,
    sha256       text not null,
    content      bytea not null,
    uploaded_by  text not null,
    uploaded_at  timestamptz not null default now()
);

create table progress_report (
    id             text primary key,
    task_id        text not null references task(id),
    kind           text not null,              -- PROGRESS / SUBMISSION
    message_id     text not null,
    period         text not null,
    status         text not null,
    percent_complete int not null,
    narrative      text,
    kpi_values     jsonb not null,
    attachment_ids jsonb not null,
    message_log_id text,
    reported_by    text not null,
    received_at    timestamptz not null,
    unique (task_id, message_id)
);

create table extension_request (
    id                 text primary key,
    task_id            text not null references task(id),
    message_id         text not null,
    requested_deadline date not null,
    previous_deadline  date not null,
    reason             text not null,
    decision           text not null,          -- PENDING / APPROVED / REJECTED
    decided_by         text,
    decision_note      text,
    requested_at       timestamptz not null,
    decided_at         timestamptz,
    unique (task_id, message_id)
);

-- one row per reminder / overdue notice / urging step actually sent: the unique key makes each happen once
create table urging (
    task_id   text not null references task(id),
    kind      text not null,                   -- REMINDER / OVERDUE / URGING / MANUAL:<uuid>
    level     int not null,
    deadline  date not null,
    sent_at   timestamptz not null default now(),
    primary key (task_id, kind, level, deadline)
);

-- stored answers of writes that carried an Idempotency-Key or a bureau message id
create table idempotent_request (
    scope      text not null,                  -- operation + target
    key        text not null,
    status     int,
    body       text,
    created_at timestamptz not null default now(),
    primary key (scope, key)
);

-- transactional outbox: written with the change, relayed to hub.task-events, kept as the replay feed
create table outbox (
    seq          bigserial primary key,
    event_id     text not null unique,
    routing_key  text not null,
    subject      text,
    payload      text not null,                -- the structured-mode CloudEvent JSON, as sent
    traceparent  text,
    created_at   timestamptz not null default now(),
    published_at timestamptz
);
create index outbox_pending_idx on outbox (seq) where published_at is null;

-- delivery.* events already applied (consumers deduplicate on the event id)
create table inbox_event (
    event_id     text primary key,
    type         text not null,
    processed_at timestamptz not null default now()
);

-- db-scheduler (com.github.kagkarlsson:db-scheduler 16) table
create table scheduled_tasks (
    task_name            text not null,
    task_instance        text not null,
    task_data            bytea,
    execution_time       timestamptz not null,
    picked               boolean not null,
    picked_by            text,
    last_success         timestamptz,
    last_failure         timestamptz,
    consecutive_failures int,
    last_heartbeat       timestamptz,
    version              bigint not null,
    priority             smallint,
    primary key (task_name, task_instance)
);
create index execution_time_idx on scheduled_tasks (execution_time);
create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);
