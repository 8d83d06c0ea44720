-- Ledger actions (idempotency), merchant disputes, seed runs.
-- Runs inside `ombudctl migrate`'s transaction: no CONCURRENTLY, no BEGIN/COMMIT here.

-- One row per money-changing action, claimed before the change in the same transaction: a repeated call with the
-- same key finds the row and changes nothing (the `Ledger` protocol's idempotency contract).
CREATE TABLE ledger.applied_actions (
    idempotency_key text PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('refund_capture', 'pause_payments', 'waive_fee', 'freeze_account',
                                                  'apply_payment', 'extend_due_date')),
    -- What the action acted on (capture, order, fee or customer id; `payment->order#n`; `order#n`).
    target          text NOT NULL,
    customer_id     text REFERENCES ledger.customers (id),
    detail          text NOT NULL DEFAULT '',
    amount          numeric(14, 2) CHECK (amount > 0),
    currency        char(3) CHECK (currency ~ '^[A-Z]{3}$'),
    applied_at      timestamptz NOT NULL,
    CHECK ((amount IS NULL) = (currency IS NULL))
);
CREATE INDEX applied_actions_customer ON ledger.applied_actions (customer_id, applied_at);

-- Merchant disputes on an order (the scenario format's `disputes`): the fee rule "charged while a dispute was open".
CREATE TABLE ledger.merchant_disputes (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id  text NOT NULL REFERENCES ledger.orders (id),
    opened_at timestamptz NOT NULL,
    closed_at timestamptz CHECK (closed_at IS NULL OR closed_at >= opened_at)
);
CREATE INDEX merchant_disputes_order ON ledger.merchant_disputes (order_id);

-- `ombudctl seed` runs: a run's rows carry its id prefix (`s<seed>-` by default); a second run with the same prefix is a
-- no-op unless asked to replace it.
CREATE TABLE ledger.seed_runs (
    prefix     text PRIMARY KEY,
    seed       bigint NOT NULL,
    customers  integer NOT NULL CHECK (customers >= 0),
    as_of      date NOT NULL,
    checksum   text NOT NULL,
    seeded_at  timestamptz NOT NULL DEFAULT now()
);
