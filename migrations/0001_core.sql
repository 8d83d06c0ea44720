-- The core of the ombud schema: cases, their timeline, and the runtime's receipts and parked messages.
-- Later migrations add classifications, matches, decisions, actions, replies and the ledger.
CREATE SCHEMA IF NOT EXISTS ombud;

CREATE TABLE ombud.cases (
    id                uuid PRIMARY KEY,
    status            text NOT NULL DEFAULT 'open'
                      CHECK (status IN ('open', 'auto_resolved', 'needs_info', 'escalated', 'claimed', 'closed', 'parked')),
    stage             text NOT NULL DEFAULT 'intake',
    channel           text NOT NULL,
    customer_ref      text NOT NULL,
    thread_id         text,
    intent            text,
    intent_confidence numeric(5, 4),
    language          text,
    priority          smallint CHECK (priority BETWEEN 1 AND 3),
    team              text,
    sla_due_at        timestamptz,
    regulatory_due_at timestamptz,
    assignee          text,
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cases_status_priority ON ombud.cases (status, priority, sla_due_at);

-- Append-only: every stage's decision with its inputs, model version and confidence.
CREATE TABLE ombud.case_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id       uuid NOT NULL REFERENCES ombud.cases (id),
    at            timestamptz NOT NULL DEFAULT now(),
    stage         text NOT NULL,
    kind          text NOT NULL,
    detail        jsonb NOT NULL DEFAULT '{}',
    model_version text,
    confidence    numeric(5, 4)
);
CREATE INDEX case_events_case ON ombud.case_events (case_id, id);

-- One row per message a stage has finished with, written in the same transaction as the stage's
-- effects: a redelivered message with a receipt is not processed again, its outputs are re-published.
CREATE TABLE ombud.stage_receipts (
    stage        text NOT NULL,
    message_id   text NOT NULL,
    case_id      uuid,
    outcome      text NOT NULL CHECK (outcome IN ('processed', 'parked')),
    outputs      jsonb NOT NULL DEFAULT '[]',
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (stage, message_id)
);
CREATE INDEX stage_receipts_case ON ombud.stage_receipts (case_id) WHERE case_id IS NOT NULL;

-- Messages a stage gave up on, with the reason. Never dropped: `ombudctl parked` lists and replays them.
CREATE TABLE ombud.parked_messages (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stage         text NOT NULL,
    message_id    text NOT NULL,
    case_id       uuid,
    reason        text NOT NULL,
    failure       text NOT NULL CHECK (failure IN ('permanent', 'retries_exhausted', 'poison')),
    attempts      integer NOT NULL DEFAULT 0,
    routing_key   text NOT NULL,
    headers       jsonb NOT NULL DEFAULT '{}',
    body          bytea NOT NULL,
    parked_at     timestamptz NOT NULL DEFAULT now(),
    replayed_at   timestamptz,
    UNIQUE (stage, message_id)
);
