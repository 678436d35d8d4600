-- bureau-adapters' own database (hub_adapters)

-- tasks this hub has dispatched, and to which unit: the ownership check of every inbound path
create table known_task (
    task_id     text primary key,
    unit_code   text not null,
    version     bigint not null,
    status      text,
    updated_at  timestamptz not null default now()
);

-- the durable outbox to bureaus: one row per message per unit; delivered in enqueue order per task
create table delivery (
    id                text primary key,
    enqueue_seq       bigserial unique,
    source_event_id   text,
    source_event_type text,
    unit_code         text not null,
    task_id           text not null,
    task_version      bigint,
    kind              text not null,
    protocol          text not null,
    payload           text not null,
    traceparent       text,
    status            text not null,            -- PENDING, DELIVERED, PARKED, DISCARDED
    attempts          int not null default 0,
    next_attempt_at   timestamptz not null default now(),
    reason            text,
    last_error        text,
    bureau_reference  text,
    discard_reason    text,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    delivered_at      timestamptz
);
create unique index delivery_once_per_event on delivery (source_event_id, unit_code, kind) where source_event_id is not null;
create index delivery_queue on delivery (unit_code, status, enqueue_seq);
create index delivery_task on delivery (unit_code, task_id, enqueue_seq);

-- what each bureau sent (one effect per message id), with the receipt given
create table inbound_message (
    unit_code    text not null,
    message_id   text not null,
    protocol     text not null,
    kind         text,
    task_id      text,
    outcome      text,
    http_status  int,
    receipt      text,
    received_at  timestamptz not null default now(),
    primary key (unit_code, message_id)
);

-- the message log (as X-Road keeps one): hash-chained per unit
create table message_log (
    id            bigserial primary key,
    unit_code     text not null,
    seq           bigint not null,
    direction     text not null,
    protocol      text not null,
    message_id    text,
    message_kind  text,
    task_id       text,
    at            timestamptz not null,
    size          int not null,
    payload_hash  text not null,
    outcome       text,
    prev_hash     text not null,
    record_hash   text not null,
    unique (unit_code, seq)
);
create index message_log_task on message_log (task_id);
create table message_log_head (
    unit_code text primary key,
    seq       bigint not null,
    hash      text not null
);
-- where a chain continues after its older records were archived
create table message_log_anchor (
    unit_code   text primary key,
    seq         bigint not null,
    hash        text not null,
    archived_to text,
    at          timestamptz not null default now()
);

create table bureau_state (
    unit_code        text primary key,
    last_success_at  timestamptz,
    last_failure_at  timestamptz,
    last_error       text
);

-- Camel JdbcMessageIdRepository (idempotent consumer)
create table camel_messageprocessed (
    processorname varchar(255) not null,
    messageid     varchar(255) not null,
    createdat     timestamp not null,
    primary key (processorname, messageid)
);
