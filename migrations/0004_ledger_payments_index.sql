-- `PostgresLedger.facts` lists all of a customer's incoming payments, matched ones too; 0002's partial index only
-- covers unmatched ones, so without this every lookup would scan the table.
-- Runs inside `ombudctl migrate`'s transaction: no CONCURRENTLY, no BEGIN/COMMIT here.
CREATE INDEX incoming_payments_customer ON ledger.incoming_payments (customer_id, at) WHERE customer_id IS NOT NULL;
