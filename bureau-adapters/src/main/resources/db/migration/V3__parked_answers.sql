-- bureau answers parked whole (answer files from a FILE or SFTP outbox, AMQP replies): the bytes stay under
-- hub.adapters.inbound.parked-dir/<unit>/<stored_name>; this row is what the operations API lists, replays
-- and discards
create table parked_answer (
    id                  text primary key,
    unit_code           text not null,
    protocol            text not null,
    file_name           text not null,          -- as the bureau named it
    stored_name         text not null,          -- under parked-dir/<unit>/
    reason              text not null,          -- the latest reason it was parked
    size                bigint not null,        -- of the file as last read
    sha256              text not null,
    file_modified_at    timestamptz,            -- when size/sha256 were taken (a replaced file is read again)
    status              text not null,          -- PARKED, REPLAYING, REPLAYED, DISCARDED
    parked_at           timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    replays             int not null default 0,
    last_replay_at      timestamptz,
    last_replay_by      text,
    last_replay_outcome text,
    discard_reason      text,
    discarded_by        text,
    discarded_at        timestamptz,
    unique (unit_code, stored_name)
);
create index parked_answer_list on parked_answer (status, unit_code, parked_at);
