-- A closed period freezes everything it shows: besides the report body, the lineage of every figure and the
-- circular (情况通报) with the scoring rule in force at the close, each with its SHA-256. Rows closed before this
-- migration keep null here (their lineage is then computed, their circular derived from the frozen body).
alter table period_snapshot
    add column lineage       text,
    add column lineage_hash  char(64),
    add column circular      text,
    add column circular_hash char(64),
    add column circular_docx bytea;

