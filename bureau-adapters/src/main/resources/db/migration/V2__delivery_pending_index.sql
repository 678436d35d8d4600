-- The dispatcher asks every 0.2 s which units have due work and then for each unit's due heads: both read
-- PENDING rows only. Without this index the first question scanned every delivery ever made (the table keeps
-- delivered rows), so the dispatcher's cost grew with the history rather than with the backlog.
create index delivery_pending on delivery (unit_code, enqueue_seq) include (next_attempt_at) where status = 'PENDING';
