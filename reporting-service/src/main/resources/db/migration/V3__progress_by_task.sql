-- The task view (GET /api/v1/reports/tasks/{id}, polled by the dashboard and by P6 in docs/benchmarks.md) reads one
-- task's progress reports; without this index it read every progress report of the policy to find them.
create index progress_report_task on progress_report (task_id, reported_at);
create index delivery_parked_task on delivery_parked (task_id, at);
