-- Issue 15: what a bureau says arrives whole (its own times, who, problems, next steps, evidence) and one rating rule
-- with its reason. The bureau's times are kept as sent; the hub's receipt time stays beside them.

-- the rule that gave the rating (Ratings); null on rows from before: the next deadline scan re-rates them and
-- publishes task.rating-changed where the rating or its reason changed
alter table task add column rating_reason text;
-- false when the deadline's year is not in the working-day calendar (the last value published, so the deadline
-- scan can publish a change when an operator loads the year)
alter table task add column calendar_known boolean not null default true;
-- 签收人 and 签收时间 as the bureau sent them
alter table task add column signed_by text;
alter table task add column signed_at timestamptz;
-- the hub's time of the dispatch: a bureau time before it is refused
alter table task add column dispatched_at timestamptz;
update task t set dispatched_at = (select min(h.at) from task_history h
                                   where h.task_id = t.id and h.kind = 'task.dispatched');
-- rows from before: the parts of the rule that need no calendar (rules 1-3)
update task set rating = 'GREY', rating_reason = 'CANCELLED' where status = 'CANCELLED';
update task set rating = 'GREY', rating_reason = 'NOT_DISPATCHED' where status = 'PLANNED';
update task set rating = 'GREEN', rating_reason = 'DONE' where status in ('SUBMITTED', 'ACCEPTED');

-- 存在问题, 下一步计划, 填报人, the bureau's time of the report, 佐证材料 (EvidenceRef list as sent)
alter table progress_report add column problems text;
alter table progress_report add column next_steps text;
alter table progress_report add column reporter text;
alter table progress_report add column reported_at timestamptz;
alter table progress_report add column evidence jsonb not null default '[]'::jsonb;
update progress_report set reported_at = received_at;

-- requested_at is now the bureau's time as sent; received_at the hub's (rows from before: both the hub's)
alter table extension_request add column reporter text;
alter table extension_request add column received_at timestamptz;
update extension_request set received_at = requested_at;
alter table extension_request alter column received_at set not null;

-- identical bytes uploaded again for the same task are found, not stored twice
create index attachment_task_sha_idx on attachment (task_id, sha256);
