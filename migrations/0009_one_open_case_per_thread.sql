-- What the database itself guarantees where two lanes race, and what a parked receipt remembers.
-- Runs inside `ombudctl migrate`'s transaction: no CONCURRENTLY, no BEGIN/COMMIT here.

-- A parked receipt answers a redelivery of the body it parked, not a corrected resubmission under the same message
-- id (same channel and external_id, new content): the lane compares this digest with the delivery's body and
-- handles a different body afresh. Processed receipts have none (a processed message stays processed).
ALTER TABLE ombud.stage_receipts ADD COLUMN body_sha256 bytea;
-- Parked receipts written before this migration: the digest of the parked row's body, unless it was erased (an
-- erased body no longer says what was parked, so such a receipt keeps answering its message id as before).
UPDATE ombud.stage_receipts r SET body_sha256 = sha256(p.body)
FROM ombud.parked_messages p
WHERE r.outcome = 'parked' AND p.stage = r.stage AND p.message_id = r.message_id AND p.replayed_at IS NULL
  AND p.body <> convert_to('[erased]', 'UTF8');
-- A corrected resubmission turns the parked receipt into the new outcome in place (stages may not delete receipts).
GRANT UPDATE (case_id, outcome, outputs, body_sha256, processed_at) ON ombud.stage_receipts
    TO ombud_intake, ombud_classify, ombud_lookup, ombud_resolve, ombud_escalate;

-- One open case per conversation: two intake lanes taking tickets of one new thread at the same time both found no
-- open case and opened one each. Cases already doubled keep their tickets and their place in the agents' queue; all
-- but the one threading would pick (the latest contact) let go of the thread id, with a timeline event saying so.
WITH ranked AS (
    SELECT id, channel, thread_id,
           first_value(id) OVER w AS kept,
           row_number() OVER w AS n
    FROM ombud.cases
    WHERE thread_id IS NOT NULL AND status <> 'closed'
    WINDOW w AS (PARTITION BY channel, thread_id ORDER BY last_contact_at DESC NULLS LAST, created_at DESC, id)
), unthreaded AS (
    UPDATE ombud.cases c SET thread_id = NULL, version = c.version + 1, updated_at = now()
    FROM ranked r
    WHERE c.id = r.id AND r.n > 1
    RETURNING c.id, r.thread_id, r.kept
)
INSERT INTO ombud.case_events (case_id, stage, kind, detail)
SELECT id, 'migrate', 'unthreaded', jsonb_build_object('thread_id', thread_id, 'threaded_case', kept) FROM unthreaded;

DROP INDEX ombud.cases_open_thread;
CREATE UNIQUE INDEX cases_one_open_per_thread ON ombud.cases (channel, thread_id)
    WHERE thread_id IS NOT NULL AND status <> 'closed';

-- One open merchant dispute per order (POLICY.md: `open_merchant_dispute` on the order; the fee rule asks whether a
-- dispute was open). Doubled open disputes: the earliest stays open and covers the later ones, which are closed at
-- the moment they were opened (an empty interval, so no fee rule reads them differently).
UPDATE ledger.merchant_disputes d SET closed_at = d.opened_at
FROM (SELECT id, row_number() OVER (PARTITION BY order_id ORDER BY opened_at, id) AS n
      FROM ledger.merchant_disputes WHERE closed_at IS NULL) r
WHERE d.id = r.id AND r.n > 1;
CREATE UNIQUE INDEX merchant_disputes_one_open ON ledger.merchant_disputes (order_id) WHERE closed_at IS NULL;
