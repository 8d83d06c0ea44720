-- Receipts are read only by (stage, message_id), their primary key: to skip a redelivered message and re-publish
-- what it emitted. No query reads them by case, and the case index cost an index entry on every hop of every ticket
-- (five per ticket). A case's story is in its own tables (case_messages, classifications, matches, decisions,
-- actions, escalations, replies, case_events).
DROP INDEX IF EXISTS ombud.stage_receipts_case;
