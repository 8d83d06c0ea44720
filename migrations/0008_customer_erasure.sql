-- Erasure on request (DESIGN.md, Security and privacy: `ombudctl erase CUSTOMER`). A customer's words, contact
-- details, the entities read from them, the replies and hand-offs written to them are removed from Ombud's tables;
-- what stays is the anonymised shape of each case (intent, outcome, team, priority, language, times), so the statistics
-- still add up. The ledger is not touched: it is the lender's system of record, with its own legal retention, and the
-- actions Ombud executed on money stay as financial records (kind, amount, status, idempotency key).

ALTER TABLE ombud.cases ADD COLUMN erased_at timestamptz;

-- One row per erasure carried out. The subject is kept only as a SHA-256 digest: enough to show that a given request
-- was carried out, without keeping the identifier that was erased.
CREATE TABLE ombud.erasures (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_hash text NOT NULL,
    requested_by text NOT NULL,
    cases        integer NOT NULL,
    tickets      integer NOT NULL,
    parked       integer NOT NULL,
    in_flight    integer NOT NULL,
    erased_at    timestamptz NOT NULL DEFAULT now()
);

-- Erases one customer (a ledger customer id, the ticket's customer id, or an email address) in one transaction.
-- `dry_run` only counts. `in_flight`: tickets of those cases not decided yet; the stages may still write about them,
-- so the caller should run the erasure again once they are decided.
CREATE FUNCTION ombud.erase_customer(customer text, requester text, dry_run boolean DEFAULT false)
RETURNS TABLE (cases integer, tickets integer, parked integer, in_flight integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ombud AS $$
DECLARE
    case_ids   uuid[];
    erased     constant text := '[erased]';
    customer_lc text := lower(trim(customer));
    quoted     text[];   -- the customer as a JSON string value, as it appears in a raw ticket
    escaped    text[];   -- the same inside a JSON string (a ticket's body within a receipt's outputs)
    n_cases    integer;
    n_tickets  integer;
    n_parked   integer;
    n_flight   integer;
BEGIN
    IF customer IS NULL OR length(trim(customer)) < 3 THEN
        RAISE EXCEPTION 'name the customer: a customer id or an email address of at least 3 characters' USING ERRCODE = '22023';
    END IF;
    IF requester IS NULL OR length(trim(requester)) = 0 THEN
        RAISE EXCEPTION 'say who requested the erasure' USING ERRCODE = '22023';
    END IF;
    customer := trim(customer);
    quoted := ARRAY['"' || customer || '"', '"' || customer_lc || '"'];
    escaped := ARRAY['\"' || customer || '\"', '\"' || customer_lc || '\"'];

    SELECT coalesce(array_agg(id ORDER BY id), '{}') INTO case_ids FROM (
        SELECT c.id FROM ombud.cases c
        WHERE c.customer_ref = customer OR c.customer_ref = 'email:' || customer_lc OR c.customer_id = customer
        UNION
        SELECT m.case_id FROM ombud.case_messages m WHERE m.customer_id = customer OR lower(m.customer_email) = customer_lc
    ) found;
    -- The stages lock cases in id order too: no deadlock with them.
    PERFORM 1 FROM ombud.cases c WHERE c.id = ANY(case_ids) ORDER BY c.id FOR UPDATE;

    SELECT count(*) INTO n_tickets FROM ombud.case_messages m WHERE m.case_id = ANY(case_ids);
    SELECT count(*) INTO n_flight FROM ombud.case_messages m
    WHERE m.case_id = ANY(case_ids) AND NOT EXISTS (SELECT 1 FROM ombud.decisions d WHERE d.ticket_id = m.ticket_id);
    -- Parked messages of those cases, and parked tickets that never became a case but name the customer (as a JSON
    -- string: an id inside a longer id does not count).
    SELECT count(*) INTO n_parked FROM ombud.parked_messages p
    WHERE p.case_id = ANY(case_ids)
       OR (p.case_id IS NULL AND EXISTS (SELECT 1 FROM unnest(quoted) q WHERE position(convert_to(q, 'UTF8') IN p.body) > 0));
    n_cases := cardinality(case_ids);
    IF dry_run THEN
        RETURN QUERY SELECT n_cases, n_tickets, n_parked, n_flight;
        RETURN;
    END IF;

    UPDATE ombud.case_messages m SET thread_id = NULL, customer_id = NULL, customer_email = NULL, subject = NULL,
           body = erased, order_ref = NULL, attachments = '[]', redactions = '[]'
    WHERE m.case_id = ANY(case_ids);
    UPDATE ombud.classifications c SET entities = '{}', flag_evidence = '[]' WHERE c.case_id = ANY(case_ids);
    UPDATE ombud.matches m SET customer_id = NULL, order_id = NULL, candidates = '{}', reasons = '{}'
    WHERE m.case_id = ANY(case_ids);
    UPDATE ombud.decisions d SET decision = jsonb_build_object('erased', true) WHERE d.case_id = ANY(case_ids);
    UPDATE ombud.actions a SET result = '' WHERE a.case_id = ANY(case_ids);
    UPDATE ombud.replies r SET text = erased WHERE r.case_id = ANY(case_ids);
    UPDATE ombud.escalations e SET summary = jsonb_build_object('erased', true), summary_text = erased
    WHERE e.case_id = ANY(case_ids);
    UPDATE ombud.case_events e SET detail = jsonb_build_object('erased', true) WHERE e.case_id = ANY(case_ids);
    -- Receipts keep the messages a stage published (a reply's text, a parked ticket's body).
    UPDATE ombud.stage_receipts r SET outputs = '[]'
    WHERE r.case_id = ANY(case_ids)
       OR (r.outcome = 'parked' AND r.case_id IS NULL
           AND EXISTS (SELECT 1 FROM unnest(escaped) q WHERE position(q IN r.outputs::text) > 0));
    UPDATE ombud.parked_messages p SET body = convert_to(erased, 'UTF8'), headers = '{}'
    WHERE p.case_id = ANY(case_ids)
       OR (p.case_id IS NULL AND EXISTS (SELECT 1 FROM unnest(quoted) q WHERE position(convert_to(q, 'UTF8') IN p.body) > 0));
    UPDATE ombud.cases c SET customer_ref = 'erased', customer_id = NULL, order_id = NULL, thread_id = NULL,
           close_note = NULL, erased_at = now(), version = c.version + 1, updated_at = now()
    WHERE c.id = ANY(case_ids);
    INSERT INTO ombud.case_events (case_id, stage, kind, detail)
    SELECT id, 'erase', 'erased', jsonb_build_object('requested_by', requester) FROM unnest(case_ids) AS id;
    INSERT INTO ombud.erasures (subject_hash, requested_by, cases, tickets, parked, in_flight)
    VALUES (encode(sha256(convert_to(customer_lc, 'UTF8')), 'hex'), requester, n_cases, n_tickets, n_parked, n_flight);
    RETURN QUERY SELECT n_cases, n_tickets, n_parked, n_flight;
END $$;

REVOKE ALL ON FUNCTION ombud.erase_customer(text, text, boolean) FROM PUBLIC;
REVOKE ALL ON ombud.erasures FROM PUBLIC;
