-- The agent console (ombud-console): internal notes, an append-only audit of every agent action, agent replies,
-- reassigning, the search view and the notification that feeds the live queue. Agents' teams and the supervisor
-- flag come from the identity proxy's groups header (docs/console.md), so no agents table is needed.
-- Runs inside `ombudctl migrate`'s transaction; independent of 0009.

-- Internal notes: agents only, never sent to the customer. Append-only like the audit.
CREATE TABLE ombud.agent_notes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id    uuid NOT NULL REFERENCES ombud.cases (id),
    author     text NOT NULL CHECK (length(trim(author)) > 0),
    body       text NOT NULL CHECK (length(trim(body)) > 0 AND length(body) <= 10000),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX agent_notes_case ON ombud.agent_notes (case_id, id);

-- Every agent action (claim, reassign, close, reply, note, and refusals), append-only: the table's owner is the
-- only role that could change a row, and the trigger below refuses even that.
CREATE TABLE ombud.agent_audit (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    agent   text NOT NULL,
    action  text NOT NULL,
    case_id uuid,
    outcome text NOT NULL CHECK (outcome IN ('done', 'refused')),
    detail  jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX agent_audit_case ON ombud.agent_audit (case_id, id) WHERE case_id IS NOT NULL;
CREATE INDEX agent_audit_agent ON ombud.agent_audit (agent, id);

CREATE FUNCTION ombud.reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = '42501';
END $$;

CREATE TRIGGER agent_audit_append_only BEFORE UPDATE OR DELETE ON ombud.agent_audit
    FOR EACH ROW EXECUTE FUNCTION ombud.reject_change();
CREATE TRIGGER agent_audit_no_truncate BEFORE TRUNCATE ON ombud.agent_audit
    FOR EACH STATEMENT EXECUTE FUNCTION ombud.reject_change();
-- Notes are append-only too, with one exception: erasing a customer (ombud.erase_customer, 0008) blanks the notes of
-- their cases, which may quote them. Only that change, and only on a case already marked erased, passes.
CREATE FUNCTION ombud.agent_notes_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.body = '[erased]' AND NEW.id = OLD.id AND NEW.case_id = OLD.case_id
       AND NEW.author = OLD.author AND NEW.created_at = OLD.created_at
       AND EXISTS (SELECT 1 FROM ombud.cases c WHERE c.id = NEW.case_id AND c.erased_at IS NOT NULL) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'agent_notes is append-only: % is not allowed', TG_OP USING ERRCODE = '42501';
END $$;

CREATE TRIGGER agent_notes_append_only BEFORE UPDATE OR DELETE ON ombud.agent_notes
    FOR EACH ROW EXECUTE FUNCTION ombud.agent_notes_guard();

-- When a case is erased (0008 sets erased_at), its notes go with the customer's other words.
CREATE FUNCTION ombud.erase_case_notes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ombud.agent_notes SET body = '[erased]' WHERE case_id = NEW.id AND body <> '[erased]';
    RETURN NULL;
END $$;

CREATE TRIGGER cases_erase_notes AFTER UPDATE OF erased_at ON ombud.cases
    FOR EACH ROW WHEN (NEW.erased_at IS NOT NULL AND OLD.erased_at IS DISTINCT FROM NEW.erased_at)
    EXECUTE FUNCTION ombud.erase_case_notes();
CREATE TRIGGER agent_notes_no_truncate BEFORE TRUNCATE ON ombud.agent_notes
    FOR EACH STATEMENT EXECUTE FUNCTION ombud.reject_change();

-- Live queue: the id of every case that enters, changes in or leaves the agent queue (case id only: listeners read
-- the rest through the views, with their own team scoping).
CREATE FUNCTION ombud.notify_case_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ombud_cases', NEW.id::text);
    RETURN NULL;
END $$;

CREATE TRIGGER cases_notify_insert AFTER INSERT ON ombud.cases
    FOR EACH ROW WHEN (NEW.status IN ('escalated', 'claimed'))
    EXECUTE FUNCTION ombud.notify_case_change();
CREATE TRIGGER cases_notify_update AFTER UPDATE ON ombud.cases
    FOR EACH ROW WHEN (OLD.status IN ('escalated', 'claimed') OR NEW.status IN ('escalated', 'claimed'))
    EXECUTE FUNCTION ombud.notify_case_change();

-- Reassigns a waiting or claimed case to another agent (and, for a supervisor's move, another team). Who may do it
-- is the console's check (the holder or a supervisor); this keeps the case's state consistent and on the timeline.
-- false when the case is not in the queue.
CREATE FUNCTION ombud.reassign_case(case_to_move uuid, by_agent text, to_agent text, to_team text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ombud AS $$
BEGIN
    IF by_agent IS NULL OR length(trim(by_agent)) = 0 OR to_agent IS NULL OR length(trim(to_agent)) = 0 THEN
        RAISE EXCEPTION 'both agents are required' USING ERRCODE = '22023';
    END IF;
    UPDATE ombud.cases SET status = 'claimed', assignee = trim(to_agent), claimed_at = now(),
                           team = coalesce(nullif(trim(to_team), ''), team), version = version + 1, updated_at = now()
    WHERE id = case_to_move AND status IN ('escalated', 'claimed');
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO ombud.case_events (case_id, stage, kind, detail)
    VALUES (case_to_move, 'agent', 'reassigned',
            jsonb_build_object('by', by_agent, 'to', trim(to_agent), 'team', nullif(trim(to_team), '')));
    RETURN true;
END $$;

-- An agent's reply to the customer: recorded in ombud.replies (so it is on the timeline, stage 'agent') on the
-- case's latest ticket, which also names the channel and thread the reply goes to. NULL when the case has no ticket.
CREATE FUNCTION ombud.record_agent_reply(case_replied uuid, agent text, reply_message_id text, reply_text text,
                                         reply_language text)
RETURNS TABLE (ticket_id uuid, channel text, external_id text, thread_id text, inserted boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ombud AS $$
DECLARE
    latest ombud.case_messages%ROWTYPE;
    added integer;
BEGIN
    IF reply_text IS NULL OR length(trim(reply_text)) = 0 OR length(reply_text) > 10000 THEN
        RAISE EXCEPTION 'a reply needs 1 to 10000 characters of text' USING ERRCODE = '22023';
    END IF;
    SELECT * INTO latest FROM ombud.case_messages m WHERE m.case_id = case_replied
    ORDER BY m.received_at DESC, m.arrived_at DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    INSERT INTO ombud.replies (message_id, case_id, ticket_id, stage, outcome, language, template_id, text)
    VALUES (reply_message_id, case_replied, latest.ticket_id, 'agent', 'escalated', reply_language,
            'agent:' || agent, reply_text)
    ON CONFLICT (message_id) DO NOTHING;
    GET DIAGNOSTICS added = ROW_COUNT;
    RETURN QUERY SELECT latest.ticket_id, latest.channel, latest.external_id, latest.thread_id, added > 0;
END $$;

-- The console's scope check: the case's team, status and holder when the case belongs to one of `teams` (NULL: every
-- team, for supervisors); no row otherwise. `lock` takes the row lock an action holds until its transaction ends, so
-- the check and the change see the same case.
CREATE FUNCTION ombud.agent_case_scope(case_to_check uuid, teams text[], lock boolean DEFAULT false)
RETURNS TABLE (team text, status text, assignee text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ombud AS $$
BEGIN
    IF lock THEN
        RETURN QUERY SELECT c.team, c.status, c.assignee FROM ombud.cases c
                     WHERE c.id = case_to_check AND (teams IS NULL OR c.team = ANY(teams)) FOR UPDATE;
    ELSE
        RETURN QUERY SELECT c.team, c.status, c.assignee FROM ombud.cases c
                     WHERE c.id = case_to_check AND (teams IS NULL OR c.team = ANY(teams));
    END IF;
END $$;

-- Claims the most urgent waiting case among the agent's teams (NULL: every team), of `team_filter` when given: like
-- claim_next_case, for agents of several teams. NULL when none is waiting.
CREATE FUNCTION ombud.claim_next_case_in(agent text, teams text[], team_filter text DEFAULT NULL) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ombud AS $$
DECLARE
    claimed uuid;
BEGIN
    IF agent IS NULL OR length(trim(agent)) = 0 THEN
        RAISE EXCEPTION 'an agent name is required' USING ERRCODE = '22023';
    END IF;
    SELECT id INTO claimed FROM ombud.cases
    WHERE status = 'escalated' AND (teams IS NULL OR team = ANY(teams)) AND (team_filter IS NULL OR team = team_filter)
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

-- claim_next_case (0005, behind `ombudctl agent claim`) is claim_next_case_in over every team: one claiming query.
CREATE OR REPLACE FUNCTION ombud.claim_next_case(agent text, team_filter text DEFAULT NULL) RETURNS uuid
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, ombud AS $$
    SELECT ombud.claim_next_case_in(agent, NULL, team_filter)
$$;

-- What the console searches: a case's id, customer and the text of its tickets, with the case's team for scoping.
CREATE VIEW ombud.agent_search AS
SELECT c.id AS case_id, c.team, c.status, c.priority, c.customer_ref, c.customer_id, c.intent, c.created_at,
       m.subject, m.body, m.customer_email
FROM ombud.cases c
LEFT JOIN ombud.case_messages m ON m.case_id = c.id;

REVOKE ALL ON ombud.agent_notes, ombud.agent_audit, ombud.agent_search FROM PUBLIC;
REVOKE ALL ON FUNCTION ombud.reassign_case(uuid, text, text, text),
    ombud.record_agent_reply(uuid, text, text, text, text), ombud.agent_case_scope(uuid, text[], boolean),
    ombud.claim_next_case_in(text, text[], text) FROM PUBLIC;
-- Append-only for agents: they add notes and audit rows and read them, nothing more.
GRANT SELECT, INSERT ON ombud.agent_notes, ombud.agent_audit TO ombud_agent;
GRANT SELECT ON ombud.agent_search TO ombud_agent;
GRANT EXECUTE ON FUNCTION ombud.reassign_case(uuid, text, text, text),
    ombud.record_agent_reply(uuid, text, text, text, text), ombud.agent_case_scope(uuid, text[], boolean),
    ombud.claim_next_case_in(text, text[], text) TO ombud_agent;
-- The console's own role: an agent's rights plus reading the ledger for the case page's ledger panel (PostgresLedger
-- reads the ledger tables). Agents' own database logins (ombudctl agent …) stay in ombud_agent, without the ledger.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ombud_console') THEN
        CREATE ROLE ombud_console NOLOGIN;
    END IF;
END $$;
GRANT ombud_agent TO ombud_console;
GRANT USAGE ON SCHEMA ledger TO ombud_console;
GRANT SELECT ON ALL TABLES IN SCHEMA ledger TO ombud_console;
