# Shared by deploy/local/run and deploy/local/test: start the local services unless they are already
# up, stop them on exit if this script started them, and put their settings in the environment.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SERVICES="$ROOT/deploy/local/services"
export PATH="/opt/swift/usr/bin:$PATH"

# Cleanups run on exit in reverse order of registration (the fleet stops before the services it uses).
CLEANUPS=()
on_exit() {
  local i
  for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do eval "${CLEANUPS[i]}" || true; done
}
trap on_exit EXIT

start_services() {
  local before
  before="$("$SERVICES" status 2>/dev/null || true)"
  "$SERVICES" up
  if ! grep -q "rabbitmq: running" <<<"$before" || ! grep -q "postgres: running" <<<"$before"; then
    CLEANUPS+=('"$SERVICES" down')
  fi
  eval "$("$SERVICES" env)"
}

require_swift() {
  command -v swift >/dev/null || { echo "swift not found: install Swift 6 (expected at /opt/swift)" >&2; exit 1; }
}

# Each stage logs in as a login that is nothing but a member of its stage's role (migration 0005), so it runs with
# exactly the privileges DESIGN.md gives that stage: ombud_local_<stage> in ombud_<stage>. The local server trusts
# loopback logins. Needs OMBUD_DATABASE_URL and the migrations applied.
create_stage_logins() {
  psql -X -q -v ON_ERROR_STOP=1 "$OMBUD_DATABASE_URL" <<'SQL'
DO $$
DECLARE stage text;
BEGIN
    FOREACH stage IN ARRAY ARRAY['intake', 'classify', 'lookup', 'resolve', 'escalate'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ombud_local_' || stage) THEN
            EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', 'ombud_local_' || stage, 'ombud_' || stage);
        END IF;
    END LOOP;
END $$;
SQL
}

# The database URL of a stage's login (see create_stage_logins).
stage_database_url() {
  echo "${OMBUD_DATABASE_URL/\/\/ombud@/\/\/ombud_local_$1@}"
}
