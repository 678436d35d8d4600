-- The replay feed's order: a position stamped AFTER commit by one sequencer (OutboxRelay), so a reader that has
-- seen position N never later finds a new row below N. seq is taken at insert and rows commit out of seq order,
-- so paging by seq could skip a row that committed late.
alter table outbox add column feed_position bigint;
-- rows already here keep their old cursor (feed_position = seq), so cursors handed out before stay valid
update outbox set feed_position = seq;
create unique index outbox_feed_position_idx on outbox (feed_position);
-- the sequencer's work list: committed rows not yet in the feed
create index outbox_unstamped_idx on outbox (seq) where feed_position is null;
-- the relay publishes in feed order
drop index outbox_pending_idx;
create index outbox_pending_idx on outbox (feed_position) where published_at is null;
