-- Receipt retention. A processed receipt answers a redelivery of its message: the broker redelivers unacked
-- messages within a connection's life, and the longest retry tier waits ten minutes. After that nothing asks for
-- the receipt again, yet every hop of every ticket writes one (five per ticket), so without a retention rule the
-- table grows for ever. Parked receipts stay until their message is replayed: a parked message can wait for weeks.

-- Deletes the processed receipts older than `older_than` in the heap blocks [first_block, end_block). Workers call
-- it block range by block range (a TID range scan each), so each call is one short transaction and the whole pass
-- reads the table once, with no index on processed_at to keep up on every insert. SECURITY DEFINER: the stage roles
-- may only prune through here, and never a receipt younger than an hour.
CREATE FUNCTION ombud.prune_stage_receipts(first_block bigint, end_block bigint, older_than timestamptz)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ombud AS $$
DECLARE
    deleted bigint;
BEGIN
    IF older_than > now() - interval '1 hour' THEN
        RAISE EXCEPTION 'receipts younger than an hour are never pruned (asked for those before %)', older_than
            USING ERRCODE = '22023';
    END IF;
    IF first_block < 0 OR end_block < first_block OR end_block > 4294967295 THEN
        RAISE EXCEPTION 'block range [%, %) is not valid', first_block, end_block USING ERRCODE = '22023';
    END IF;
    DELETE FROM ombud.stage_receipts
    WHERE ctid >= format('(%s,0)', first_block)::tid AND ctid < format('(%s,0)', end_block)::tid
      AND outcome = 'processed' AND processed_at < older_than;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END $$;

-- The table's size in heap blocks, the range a pass walks.
CREATE FUNCTION ombud.stage_receipt_blocks() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, ombud AS $$
    SELECT pg_relation_size('ombud.stage_receipts') / current_setting('block_size')::bigint
$$;

REVOKE ALL ON FUNCTION ombud.prune_stage_receipts(bigint, bigint, timestamptz), ombud.stage_receipt_blocks() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ombud.prune_stage_receipts(bigint, bigint, timestamptz), ombud.stage_receipt_blocks()
    TO ombud_intake, ombud_classify, ombud_lookup, ombud_resolve, ombud_escalate;
