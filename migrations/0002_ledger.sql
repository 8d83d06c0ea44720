-- The ledger: the system of record that the lookup stage reads and the resolve stage's actions change.
-- In production this is the lender's own system behind the `Ledger` protocol; this schema is the default
-- implementation and what `ombudctl seed` and `ombudctl scenarios run` load (its fields follow POLICY.md's
-- scenario `ledger` object).
-- Conventions: ids are text (the lender's and the scenarios' ids are strings); money is numeric(14,2), never
-- floating point, always positive (direction is in the table: a refund is money back), in the currency of its
-- order; currencies are ISO 4217 codes; instants are timestamptz, due dates are dates (a due date has no time zone).
-- Runs inside `ombudctl migrate`'s transaction: no CONCURRENTLY, no BEGIN/COMMIT here.
CREATE SCHEMA IF NOT EXISTS ledger;

CREATE TABLE ledger.customers (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    email      text,
    locale     text,
    -- frozen / under_investigation route every ticket to fraud (POLICY.md guardrail 6).
    status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'frozen', 'under_investigation')),
    created_at timestamptz NOT NULL DEFAULT now()
);
-- Intake identifies e-mail-only tickets by address. Not unique: scenarios reuse addresses under namespaced ids.
CREATE INDEX customers_email ON ledger.customers (lower(email)) WHERE email IS NOT NULL;

CREATE TABLE ledger.merchants (
    id   text PRIMARY KEY,
    name text NOT NULL
);
-- Matching ranks orders by the merchant a customer names, case-insensitively. Not unique: different
-- merchants can trade under the same name.
CREATE INDEX merchants_name ON ledger.merchants (lower(name));

CREATE TABLE ledger.orders (
    id                        text PRIMARY KEY,
    customer_id               text NOT NULL REFERENCES ledger.customers (id),
    merchant_id               text NOT NULL REFERENCES ledger.merchants (id),
    total                     numeric(14, 2) NOT NULL CHECK (total >= 0),
    currency                  char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    created_at                timestamptz NOT NULL,
    -- A subscription order; `subscription_cancelled_at` decides `subscription_cancelled` disputes.
    is_subscription           boolean NOT NULL DEFAULT false,
    subscription_cancelled_at timestamptz CHECK (subscription_cancelled_at IS NULL OR is_subscription),
    -- Targets of the composite foreign keys below, so a fee cannot name another customer's order or currency.
    UNIQUE (id, customer_id),
    UNIQUE (id, currency)
);
-- Lookup lists a customer's orders newest first, then ranks them by merchant, amount and date.
CREATE INDEX orders_customer_created ON ledger.orders (customer_id, created_at DESC);
CREATE INDEX orders_merchant ON ledger.orders (merchant_id);

-- Money taken from the customer for an order. Two equal captures within 48 h is a duplicate charge.
CREATE TABLE ledger.captures (
    id       text PRIMARY KEY,
    order_id text NOT NULL REFERENCES ledger.orders (id),
    amount   numeric(14, 2) NOT NULL CHECK (amount > 0),
    at       timestamptz NOT NULL
);
CREATE INDEX captures_order ON ledger.captures (order_id, at);

-- Money given back on an order (by the merchant or by a `refund_capture` action).
CREATE TABLE ledger.refunds (
    id         text PRIMARY KEY,
    order_id   text NOT NULL REFERENCES ledger.orders (id),
    -- The capture refunded, when known: a refunded capture is not a duplicate charge any more.
    capture_id text REFERENCES ledger.captures (id),
    amount     numeric(14, 2) NOT NULL CHECK (amount > 0),
    at         timestamptz NOT NULL
);
CREATE INDEX refunds_order ON ledger.refunds (order_id, at);
CREATE INDEX refunds_capture ON ledger.refunds (capture_id) WHERE capture_id IS NOT NULL;

-- How the customer pays an order off. One plan per order (a rescheduled plan changes its instalments).
CREATE TABLE ledger.payment_plans (
    id       text PRIMARY KEY,
    order_id text NOT NULL UNIQUE REFERENCES ledger.orders (id),
    -- pay_in_3, pay_in_4, pay_in_30, financing, …: a product catalogue, so only the shape is checked.
    kind     text NOT NULL CHECK (kind ~ '^[a-z0-9_]+$')
);

CREATE TABLE ledger.instalments (
    plan_id      text NOT NULL REFERENCES ledger.payment_plans (id),
    n            smallint NOT NULL CHECK (n >= 1),
    amount       numeric(14, 2) NOT NULL CHECK (amount > 0),
    due          date NOT NULL,
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('paid', 'pending', 'overdue', 'paused')),
    -- Set by `pause_payments`; a paused instalment always says until when, and only a paused one does.
    paused_until date CHECK ((status = 'paused') = (paused_until IS NOT NULL)),
    -- `extend_due_date` is granted once per instalment (POLICY.md: payment_change).
    extended     boolean NOT NULL DEFAULT false,
    paid_at      timestamptz CHECK (paid_at IS NULL OR status = 'paid'),
    -- The primary key serves "instalments of a plan, in order".
    PRIMARY KEY (plan_id, n)
);
-- Guardrail 2 pauses overdue plans; lookup finds them without scanning every instalment.
CREATE INDEX instalments_overdue ON ledger.instalments (plan_id) WHERE status = 'overdue';

-- Shipments have no id of their own in the scenario format; several per order (split deliveries).
CREATE TABLE ledger.shipments (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id          text NOT NULL REFERENCES ledger.orders (id),
    carrier           text,
    tracking          text,
    status            text NOT NULL CHECK (status IN ('not_shipped', 'in_transit', 'delivered')),
    expected_delivery date,
    delivered_at      timestamptz CHECK (delivered_at IS NULL OR status = 'delivered')
);
CREATE INDEX shipments_order ON ledger.shipments (order_id);
-- Customers quote tracking numbers; classify extracts them and lookup matches the order by them.
CREATE INDEX shipments_tracking ON ledger.shipments (tracking) WHERE tracking IS NOT NULL;

CREATE TABLE ledger.returns (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id      text NOT NULL REFERENCES ledger.orders (id),
    registered_at timestamptz NOT NULL,
    status        text NOT NULL CHECK (status IN ('in_transit', 'delivered_to_merchant')),
    -- Delivered to the merchant more than 14 days ago without a refund opens a merchant dispute.
    delivered_at  timestamptz CHECK (delivered_at IS NULL OR status = 'delivered_to_merchant')
);
CREATE INDEX returns_order ON ledger.returns (order_id);

-- Late and reminder fees. Carries the customer (and its own currency) because a fee may not belong to one order,
-- and `fee_dispute` asks "any fee waived for this customer in the last 12 months".
CREATE TABLE ledger.fees (
    id          text PRIMARY KEY,
    customer_id text NOT NULL REFERENCES ledger.customers (id),
    order_id    text,
    kind        text NOT NULL CHECK (kind IN ('late', 'reminder')),
    amount      numeric(14, 2) NOT NULL CHECK (amount > 0),
    currency    char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    at          timestamptz NOT NULL,
    waived      boolean NOT NULL DEFAULT false,
    waived_at   timestamptz CHECK (waived_at IS NULL OR waived),
    -- A fee on an order belongs to that order's customer and is in that order's currency.
    FOREIGN KEY (order_id, customer_id) REFERENCES ledger.orders (id, customer_id),
    FOREIGN KEY (order_id, currency) REFERENCES ledger.orders (id, currency)
);
CREATE INDEX fees_customer ON ledger.fees (customer_id, at);
CREATE INDEX fees_order ON ledger.fees (order_id) WHERE order_id IS NOT NULL;

-- Money received from customers (bank transfers, card payments). `already_paid` looks for an unmatched payment
-- equal to an open instalment; `apply_payment` matches it.
CREATE TABLE ledger.incoming_payments (
    id            text PRIMARY KEY,
    -- Null while the payer is unknown (a transfer without a usable reference).
    customer_id   text REFERENCES ledger.customers (id),
    amount        numeric(14, 2) NOT NULL CHECK (amount > 0),
    currency      char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    reference     text,
    status        text NOT NULL DEFAULT 'unmatched' CHECK (status IN ('matched', 'unmatched')),
    at            timestamptz NOT NULL,
    -- The instalment the payment was applied to, when matching recorded one.
    plan_id       text,
    instalment_n  smallint,
    FOREIGN KEY (plan_id, instalment_n) REFERENCES ledger.instalments (plan_id, n),
    CHECK ((plan_id IS NULL) = (instalment_n IS NULL)),
    CHECK (plan_id IS NULL OR status = 'matched')
);
-- Lookup only ever wants a customer's unmatched payments; the partial index stays small.
CREATE INDEX incoming_payments_unmatched ON ledger.incoming_payments (customer_id, at) WHERE status = 'unmatched';
CREATE INDEX incoming_payments_reference ON ledger.incoming_payments (reference) WHERE reference IS NOT NULL;
