#!/bin/sh
# Runs once per `docker compose up` (after the migration), in the postgres image: creates or updates the login of
# each stage (ombud_<stage>_worker, a member of ombud_<stage> only) and of the console (ombud_console_web, a member
# of ombud_console only: migration 0010's NOLOGIN role with the agents' rights and reading the ledger), each with the
# password in its URL secret (postgresql://USER:PASSWORD@postgres:5432/ombud).
set -eu
printf 'postgres:5432:ombud:ombud:%s\n' "$(cat /run/secrets/db_owner_password)" > "$PGPASSFILE"
chmod 600 "$PGPASSFILE"

login() { # secret-name group-role
  url="$(cat "/run/secrets/$1")"
  user="$(printf '%s' "$url" | sed -n 's|^postgresql://\([^:@/]*\):\([^@/]*\)@.*|\1|p')"
  password="$(printf '%s' "$url" | sed -n 's|^postgresql://\([^:@/]*\):\([^@/]*\)@.*|\2|p')"
  if [ -z "$user" ] || [ -z "$password" ]; then
    echo "db-logins: /run/secrets/$1 must be postgresql://USER:PASSWORD@postgres:5432/ombud" >&2
    exit 1
  fi
  case "$user" in
    ombud_agent|ombud_console|ombud_intake|ombud_classify|ombud_lookup|ombud_resolve|ombud_escalate)
      echo "db-logins: /run/secrets/$1 logs in as $user, a group role of the migrations; name a login of its own in that URL (ombud_console_web for the console, ombud_<stage>_worker for a stage)" >&2
      exit 1 ;;
  esac
  psql -X -q -v ON_ERROR_STOP=1 -v login="$user" -v password="$password" -v grp="$2" <<'SQL'
SET client_min_messages = warning;
SELECT format('CREATE ROLE %I LOGIN', :'login') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'login') \gexec
ALTER ROLE :"login" LOGIN PASSWORD :'password';
GRANT :"grp" TO :"login";
SQL
  echo "db-logins: $user (in $2) ready"
}

for stage in intake classify lookup resolve escalate; do
  login "db_url_$stage" "ombud_$stage"
done
login db_url_console ombud_console
