-- Read models of the reporting-service, built from the task-service's CloudEvents.

-- Every event as it arrived: the dedupe key (event id) and the source of the local rebuild.
create table event_log (
    arrival      bigserial primary key,
    event_id     varchar(128) not null unique,
    type         varchar(200) not null,
    routing_key  varchar(100) not null,
    subject      varchar(200),
    sequence     bigint,
    occurred_at  timestamptz  not null,
    received_at  timestamptz  not null,
    payload      text         not null
);

-- The current state of each task: the highest version seen wins.
create table task_state (
    task_id          varchar(100) primary key,
    policy_id        varchar(100) not null,
    action_no        integer,
    measure_no       integer      not null,
    unit_code        varchar(40)  not null,
    lead_unit_code   varchar(40),
    role             varchar(20)  not null,
    status           varchar(20)  not null,
    delivery_status  varchar(20),
    deadline         date,
    reporting_cycle  varchar(20),
    percent_complete integer,
    rating           varchar(10),
    version          bigint       not null,
    updated_at       timestamptz  not null
);
create index task_state_policy on task_state (policy_id, measure_no);

-- One row per task event: the history, with the task's snapshot at that version.
create table task_change (
    event_id         varchar(128) primary key,
    task_id          varchar(100) not null,
    policy_id        varchar(100) not null,
    kind             varchar(60)  not null,
    version          bigint       not null,
    history_id       varchar(100),
    actor            varchar(200),
    from_status      varchar(20),
    to_status        varchar(20),
    reason           text,
    at               timestamptz  not null,
    received_at      timestamptz  not null,
    message_log_id   varchar(128),
    status           varchar(20)  not null,
    delivery_status  varchar(20),
    deadline         date,
    percent_complete integer,
    rating           varchar(10),
    urging_kind      varchar(20),
    urging_level     integer,
    extension_id     varchar(100),
    extension_state  varchar(20)
);
create index task_change_task on task_change (task_id, version);
create index task_change_policy on task_change (policy_id, at);

create table progress_report (
    report_id        varchar(100) primary key,
    event_id         varchar(128) not null,
    task_id          varchar(100) not null,
    policy_id        varchar(100) not null,
    measure_no       integer      not null,
    unit_code        varchar(40)  not null,
    period           varchar(10)  not null,
    status           varchar(20),
    percent_complete integer      not null,
    narrative        text,
    message_log_id   varchar(128),
    history_id       varchar(100),
    reported_at      timestamptz  not null,
    received_at      timestamptz  not null
);
create index progress_report_policy on progress_report (policy_id, period);

create table kpi_value (
    id             bigserial primary key,
    report_id      varchar(100) not null references progress_report (report_id) on delete cascade,
    kpi_code       varchar(80)  not null,
    value          double precision not null,
    unit           varchar(40),
    level          varchar(10)  not null,
    district_code  varchar(20),
    school_code    varchar(40)
);
create index kpi_value_report on kpi_value (report_id);

-- delivery.parked from bureau-adapters: shown next to the task.
create table delivery_parked (
    event_id       varchar(128) primary key,
    delivery_id    varchar(100) not null,
    task_id        varchar(100) not null,
    unit_code      varchar(40)  not null,
    message_kind   varchar(40),
    reason         text,
    message_log_id varchar(128),
    at             timestamptz  not null
);

-- Policies seen (policy.imported); the catalogue body is read from the task-service or the contracts jar.
create table policy_catalogue (
    policy_id   varchar(100) primary key,
    title       text not null,
    body        text,
    imported_at timestamptz not null
);

-- Register: districts (seeded) and schools (CSV import).
create table district (
    code     varchar(20) primary key,
    name     varchar(40) not null,
    name_en  varchar(80) not null,
    sort     integer     not null
);
create table school (
    code          varchar(40) primary key,
    name          varchar(200) not null,
    district_code varchar(20)  not null references district (code),
    stage         varchar(30)  not null,
    synthetic     boolean      not null
);
create index school_district on school (district_code);

-- Closed periods: frozen, never updated (see the trigger).
create table period_snapshot (
    policy_id    varchar(100) not null,
    period       varchar(10)  not null,
    closed_at    timestamptz  not null,
    closed_by    varchar(200) not null,
    content_hash char(64)     not null,
    body         text         not null,
    primary key (policy_id, period)
);
create function period_snapshot_frozen() returns trigger language plpgsql as $$
begin
    raise exception 'period snapshots never change (% %)', old.policy_id, old.period;
end $$;
create trigger period_snapshot_no_update before update or delete on period_snapshot
    for each row execute function period_snapshot_frozen();

insert into district (code, name, name_en, sort) values
  ('110101', '东城区', 'Dongcheng', 1),
  ('110102', '西城区', 'Xicheng', 2),
  ('110105', '朝阳区', 'Chaoyang', 3),
  ('110106', '丰台区', 'Fengtai', 4),
  ('110107', '石景山区', 'Shijingshan', 5),
  ('110108', '海淀区', 'Haidian', 6),
  ('110109', '门头沟区', 'Mentougou', 7),
  ('110111', '房山区', 'Fangshan', 8),
  ('110112', '通州区', 'Tongzhou', 9),
  ('110113', '顺义区', 'Shunyi', 10),
  ('110114', '昌平区', 'Changping', 11),
  ('110115', '大兴区', 'Daxing', 12),
  ('110116', '怀柔区', 'Huairou', 13),
  ('110117', '平谷区', 'Pinggu', 14),
  ('110118', '密云区', 'Miyun', 15),
  ('110119', '延庆区', 'Yanqing', 16),
  ('110400', '北京经济技术开发区', 'Beijing Economic-Technological Development Area', 17);
