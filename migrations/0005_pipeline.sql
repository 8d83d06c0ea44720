-- The five stages' records: tickets (case_messages), classifications, matches, decisions, actions, replies and
-- escalations; the agents' views and functions; and a least-privilege role per stage.
-- Runs inside `ombudctl migrate`'s transaction. One row per ticket in each per-stage table (ticket_id primary key),
-- written in the same transaction as the stage's receipt, so a re-run stage finds its row and changes nothing.

ALTER TABLE ombud.cases
    ADD COLUMN customer_id     text,          -- the ledger's customer, once known
    ADD COLUMN order_id        text,          -- the order the case is about (lookup)
    ADD COLUMN outcome         text CHECK (outcome IN ('auto_resolved', 'needs_info', 'escalated')),
    ADD COLUMN rule            text,          -- the policy rule of the latest decision
    ADD COLUMN contacts        integer NOT NULL DEFAULT 0,
    ADD COLUMN last_contact_at timestamptz,   -- the latest ticket's received_at
    ADD COLUMN decided_at      timestamptz,
    ADD COLUMN claimed_at      timestamptz,
    ADD COLUMN closed_at       timestamptz,
    ADD COLUMN close_outcome   text,
    ADD COLUMN close_note      text;
-- A pause on the order itself (pause_payments): what an order without open instalments can still have paused.
ALTER TABLE ledger.orders ADD COLUMN collection_paused_until date;

-- Threading a follow-up onto its open case: by thread, or by customer and order.
CREATE INDEX cases_open_thread ON ombud.cases (channel, thread_id) WHERE thread_id IS NOT NULL AND status <> 'closed';
CREATE INDEX cases_open_customer ON ombud.cases (customer_ref, order_id) WHERE status <> 'closed';

-- Every inbound ticket, redacted. ticket_id is derived from (channel, external_id): a ticket published twice is
-- one row.
CREATE TABLE ombud.case_messages (
    ticket_id           uuid PRIMARY KEY,
    case_id             uuid NOT NULL REFERENCES ombud.cases (id),
    channel             text NOT NULL,
    external_id         text NOT NULL,
    thread_id           text,
    customer_id         text,
    customer_email      text,
    locale              text,
    subject             text,
    body                text NOT NULL,
    order_ref           text,
    attachments         jsonb NOT NULL DEFAULT '[]',
    redactions          jsonb NOT NULL DEFAULT '[]',
    language            text,
    language_confidence numeric(5, 4),
    received_at         timestamptz NOT NULL,
    -- When intake stored it: the start of ticket-to-decision latency.
    arrived_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (channel, external_id)
);
CREATE INDEX case_messages_case ON ombud.case_messages (case_id, received_at);

CREATE TABLE ombud.classifications (
    ticket_id       uuid PRIMARY KEY REFERENCES ombud.case_messages (ticket_id),
    case_id         uuid NOT NULL REFERENCES ombud.cases (id),
    intent          text NOT NULL,
    confidence      numeric(5, 4) NOT NULL,
    ranked          jsonb NOT NULL DEFAULT '[]',      -- the runners-up: [{"intent", "p"}]
    sentiment       text NOT NULL,
    sentiment_score numeric(6, 4) NOT NULL,
    flags           text[] NOT NULL DEFAULT '{}',
    flag_evidence   jsonb NOT NULL DEFAULT '[]',
    entities        jsonb NOT NULL DEFAULT '{}',
    language        text,
    model_version   text NOT NULL,
    classified_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX classifications_case ON ombud.classifications (case_id);

-- What lookup found in the ledger and why: the customer, the order (or the candidates) and, per order, which of
-- order reference, merchant, amount and date pointed at it.
CREATE TABLE ombud.matches (
    ticket_id   uuid PRIMARY KEY REFERENCES ombud.case_messages (ticket_id),
    case_id     uuid NOT NULL REFERENCES ombud.cases (id),
    customer_id text,
    result      text NOT NULL CHECK (result IN ('matched', 'ambiguous', 'none', 'unknown_customer')),
    order_id    text,
    candidates  text[] NOT NULL DEFAULT '{}',
    reasons     jsonb NOT NULL DEFAULT '{}',
    matched_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX matches_case ON ombud.matches (case_id);

CREATE TABLE ombud.decisions (
    ticket_id          uuid PRIMARY KEY REFERENCES ombud.case_messages (ticket_id),
    case_id            uuid NOT NULL REFERENCES ombud.cases (id),
    intent             text NOT NULL,
    rule               text NOT NULL,
    outcome            text NOT NULL CHECK (outcome IN ('auto_resolved', 'needs_info', 'escalated')),
    policy_version     text NOT NULL,
    team               text,
    priority           smallint,
    decision           jsonb NOT NULL,
    decided_at         timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX decisions_case ON ombud.decisions (case_id, decided_at);

-- Every action the resolve stage executed, once: the idempotency key (case, kind, target) is the primary key.
CREATE TABLE ombud.actions (
    idempotency_key text PRIMARY KEY,
    case_id         uuid NOT NULL REFERENCES ombud.cases (id),
    ticket_id       uuid NOT NULL REFERENCES ombud.case_messages (ticket_id),
    kind            text NOT NULL,
    target          text NOT NULL,
    amount          numeric(14, 2),
    currency        char(3),
    days            integer,
    status          text NOT NULL CHECK (status IN ('executed', 'already_applied', 'not_applicable', 'recorded')),
    result          text NOT NULL DEFAULT '',
    executed_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX actions_case ON ombud.actions (case_id);

-- Every reply sent to a channel; message_id is the AMQP message id, so a reply is recorded (and sent) once.
CREATE TABLE ombud.replies (
    message_id  text PRIMARY KEY,
    case_id     uuid NOT NULL REFERENCES ombud.cases (id),
    ticket_id   uuid NOT NULL REFERENCES ombud.case_messages (ticket_id),
    stage       text NOT NULL,
    outcome     text NOT NULL,
    language    text NOT NULL,
    template_id text NOT NULL,
    text        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX replies_case ON ombud.replies (case_id);

-- The hand-off: what the agent reads when the case reaches the queue.
CREATE TABLE ombud.escalations (
    ticket_id          uuid PRIMARY KEY REFERENCES ombud.case_messages (ticket_id),
    case_id            uuid NOT NULL REFERENCES ombud.cases (id),
    team               text NOT NULL,
    priority           smallint NOT NULL CHECK (priority BETWEEN 1 AND 3),
    language           text NOT NULL,
    first_response_due timestamptz NOT NULL,
    regulatory_due     timestamptz,
    reason             text NOT NULL,
    summary            jsonb NOT NULL,
    summary_text       text NOT NULL,
    escalated_at       timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX escalations_case ON ombud.escalations (case_id, escalated_at);

-- Agent views ------------------------------------------------------------------------------------------------------

-- Open escalations, most urgent first: priority, then the first-response due time.
CREATE VIEW ombud.agent_queue AS
SELECT c.id AS case_id, c.team, c.priority, c.language, c.sla_due_at AS first_response_due,
       c.regulatory_due_at AS regulatory_due, c.status, c.assignee, c.claimed_at, c.intent, c.customer_ref,
       c.order_id, c.contacts, c.created_at,
       e.reason, split_part(e.summary_text, E'\n', 1) AS customer_wants
FROM ombud.cases c
LEFT JOIN LATERAL (
    SELECT reason, summary_text FROM ombud.escalations WHERE case_id = c.id ORDER BY escalated_at DESC LIMIT 1
) e ON true
WHERE c.status IN ('escalated', 'claimed');

CREATE VIEW ombud.agent_case_overview AS
SELECT c.id AS case_id, c.status, c.stage, c.channel, c.customer_ref, c.customer_id, c.order_id, c.thread_id,
       c.intent, c.intent_confidence, c.language, c.outcome, c.rule, c.team, c.priority,
       c.sla_due_at AS first_response_due, c.regulatory_due_at AS regulatory_due, c.assignee, c.claimed_at,
       c.closed_at, c.close_outcome, c.close_note, c.contacts, c.created_at, c.updated_at,
       e.summary_text AS handoff_summary,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', a.kind, 'target', a.target, 'status', a.status,
                                                     'result', a.result) ORDER BY a.executed_at), '[]')
        FROM ombud.actions a WHERE a.case_id = c.id) AS actions
FROM ombud.cases c
LEFT JOIN LATERAL (
    SELECT summary_text FROM ombud.escalations WHERE case_id = c.id ORDER BY escalated_at DESC LIMIT 1
) e ON true;

-- Everything that happened on a case, in order: tickets, classifications, matches, decisions, actions, replies,
-- escalations and the runtime's events.
CREATE VIEW ombud.agent_case_timeline AS
SELECT case_id, arrived_at AS at, 'intake' AS stage, 'ticket' AS kind,
       jsonb_build_object('channel', channel, 'external_id', external_id, 'received_at', received_at,
                          'language', language, 'subject', subject, 'body', body, 'order_ref', order_ref,
                          'attachments', attachments, 'redactions', redactions) AS detail
FROM ombud.case_messages
UNION ALL
SELECT case_id, classified_at, 'classify', 'classification',
       jsonb_build_object('intent', intent, 'confidence', confidence, 'ranked', ranked, 'sentiment', sentiment,
                          'sentiment_score', sentiment_score, 'flags', flags, 'flag_evidence', flag_evidence,
                          'entities', entities, 'language', language, 'model_version', model_version)
FROM ombud.classifications
UNION ALL
SELECT case_id, matched_at, 'lookup', 'match',
       jsonb_build_object('customer_id', customer_id, 'result', result, 'order_id', order_id,
                          'candidates', candidates, 'reasons', reasons)
FROM ombud.matches
UNION ALL
SELECT case_id, decided_at, 'resolve', 'decision',
       jsonb_build_object('rule', rule, 'outcome', outcome, 'intent', intent, 'policy_version', policy_version,
                          'team', team, 'priority', priority, 'explanation', decision -> 'explanation',
                          'recommendation', decision -> 'recommendation')
FROM ombud.decisions
UNION ALL
SELECT case_id, executed_at, 'resolve', 'action',
       jsonb_build_object('kind', kind, 'target', target, 'amount', amount, 'currency', currency, 'days', days,
                          'status', status, 'result', result, 'idempotency_key', idempotency_key)
FROM ombud.actions
UNION ALL
SELECT case_id, created_at, stage, 'reply',
       jsonb_build_object('outcome', outcome, 'language', language, 'template', template_id, 'text', text,
                          'message_id', message_id)
FROM ombud.replies
UNION ALL
SELECT case_id, escalated_at, 'escalate', 'escalation',
       jsonb_build_object('team', team, 'priority', priority, 'language', language,
                          'first_response_due', first_response_due, 'regulatory_due', regulatory_due,
                          'reason', reason, 'summary', summary_text)
FROM ombud.escalations
UNION ALL
SELECT case_id, at, stage, kind, detail FROM ombud.case_events;

-- Agent functions: the only way an agent changes a case ------------------------------------------------------------

-- Claims the most urgent unclaimed escalation (of `team`, when given). SKIP LOCKED: agents pulling at the same
-- time get different cases, nobody waits. NULL when the queue is empty.
CREATE FUNCTION ombud.claim_next_case(agent text, team_filter text DEFAULT NULL) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ombud AS $$
DECLARE
    claimed uuid;
BEGIN
    IF agent IS NULL OR length(trim(agent)) = 0 THEN
        RAISE EXCEPTION 'an agent name is required' USING ERRCODE = '22023';
    END IF;
    SELECT id INTO claimed FROM ombud.cases
    WHERE status = 'escalated' AND (team_filter IS NULL OR team = team_filter)
    ORDER BY priority, sla_due_at, created_at
    LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF claimed IS NULL THEN
        RETURN NULL;
    END IF;
    UPDATE ombud.cases SET status = 'claimed', assignee = agent, claimed_at = now(), version = version + 1,
                           updated_at = now()
    WHERE id = claimed;
    INSERT INTO ombud.case_events (case_id, stage, kind, detail)
    VALUES (claimed, 'agent', 'claimed', jsonb_build_object('agent', agent));
    RETURN claimed;
END $$;

-- Claims one named case; false when it is not waiting for an agent (already claimed, closed, not escalated).
CREATE FUNCTION ombud.claim_case(case_to_claim uuid, agent text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ombud AS $$
BEGIN
    IF agent IS NULL OR length(trim(agent)) = 0 THEN
        RAISE EXCEPTION 'an agent name is required' USING ERRCODE = '22023';
    END IF;
    UPDATE ombud.cases SET status = 'claimed', assignee = agent, claimed_at = now(), version = version + 1,
                           updated_at = now()
    WHERE id = case_to_claim AND status = 'escalated';
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO ombud.case_events (case_id, stage, kind, detail)
    VALUES (case_to_claim, 'agent', 'claimed', jsonb_build_object('agent', agent));
    RETURN true;
END $$;

-- Closes a case the agent holds, with an outcome. false when the agent does not hold it.
CREATE FUNCTION ombud.close_case(case_to_close uuid, agent text, close_outcome text, note text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ombud AS $$
BEGIN
    IF close_outcome NOT IN ('resolved', 'refunded', 'rejected', 'duplicate', 'no_response', 'referred') THEN
        RAISE EXCEPTION 'outcome must be one of resolved, refunded, rejected, duplicate, no_response, referred'
            USING ERRCODE = '22023';
    END IF;
    UPDATE ombud.cases SET status = 'closed', closed_at = now(), close_outcome = close_case.close_outcome,
                           close_note = note, version = version + 1, updated_at = now()
    WHERE id = case_to_close AND status = 'claimed' AND assignee = agent;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO ombud.case_events (case_id, stage, kind, detail)
    VALUES (case_to_close, 'agent', 'closed',
            jsonb_build_object('agent', agent, 'outcome', close_outcome, 'note', note));
    RETURN true;
END $$;

-- Roles ------------------------------------------------------------------------------------------------------------
-- NOLOGIN group roles: an operator grants them to login roles (`GRANT ombud_agent TO alice`). Roles are cluster-wide,
-- so they are created only when missing.
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['ombud_agent', 'ombud_intake', 'ombud_classify', 'ombud_lookup', 'ombud_resolve',
                                'ombud_escalate'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', name);
        END IF;
    END LOOP;
END $$;

REVOKE ALL ON ALL TABLES IN SCHEMA ombud FROM PUBLIC;
REVOKE ALL ON FUNCTION ombud.claim_next_case(text, text), ombud.claim_case(uuid, text),
    ombud.close_case(uuid, text, text, text) FROM PUBLIC;

-- Agents: the three views and the three functions, nothing else.
GRANT USAGE ON SCHEMA ombud TO ombud_agent;
GRANT SELECT ON ombud.agent_queue, ombud.agent_case_overview, ombud.agent_case_timeline TO ombud_agent;
GRANT EXECUTE ON FUNCTION ombud.claim_next_case(text, text), ombud.claim_case(uuid, text),
    ombud.close_case(uuid, text, text, text) TO ombud_agent;

-- Every stage: its receipts, parked messages and case events (the runtime's tables).
GRANT USAGE ON SCHEMA ombud TO ombud_intake, ombud_classify, ombud_lookup, ombud_resolve, ombud_escalate;
GRANT SELECT, INSERT ON ombud.stage_receipts, ombud.parked_messages, ombud.case_events
    TO ombud_intake, ombud_classify, ombud_lookup, ombud_resolve, ombud_escalate;
-- Parking a message again (after a replay) updates its row.
GRANT UPDATE ON ombud.parked_messages TO ombud_intake, ombud_classify, ombud_lookup, ombud_resolve, ombud_escalate;
-- Classify and lookup write only their own tables; intake, resolve and escalate keep the case row up to date.
GRANT SELECT ON ombud.cases TO ombud_classify, ombud_lookup;
GRANT SELECT, UPDATE ON ombud.cases TO ombud_resolve, ombud_escalate;

GRANT SELECT, INSERT, UPDATE ON ombud.cases TO ombud_intake;
GRANT SELECT, INSERT ON ombud.case_messages TO ombud_intake;

GRANT SELECT ON ombud.case_messages TO ombud_classify, ombud_lookup, ombud_resolve, ombud_escalate;
GRANT SELECT, INSERT ON ombud.classifications TO ombud_classify;

GRANT SELECT ON ombud.classifications TO ombud_lookup, ombud_resolve, ombud_escalate;
GRANT SELECT, INSERT ON ombud.matches TO ombud_lookup;
-- Lookup matches on the ledger, resolve decides on it, escalate shows it to the agent.
GRANT USAGE ON SCHEMA ledger TO ombud_lookup, ombud_resolve, ombud_escalate;
GRANT SELECT ON ALL TABLES IN SCHEMA ledger TO ombud_lookup, ombud_resolve, ombud_escalate;

GRANT SELECT ON ombud.matches TO ombud_resolve, ombud_escalate;
GRANT SELECT, INSERT ON ombud.decisions, ombud.actions, ombud.replies TO ombud_resolve;
-- The resolve stage's actions change the ledger (through the Ledger protocol's statements; a capture is only locked,
-- FOR UPDATE, which needs the UPDATE privilege).
GRANT UPDATE ON ledger.captures TO ombud_resolve;
GRANT INSERT, UPDATE ON ledger.orders, ledger.refunds, ledger.instalments, ledger.fees, ledger.customers, ledger.incoming_payments,
    ledger.applied_actions, ledger.merchant_disputes TO ombud_resolve;

GRANT SELECT ON ombud.decisions, ombud.actions TO ombud_escalate;
GRANT SELECT, INSERT ON ombud.escalations, ombud.replies TO ombud_escalate;
