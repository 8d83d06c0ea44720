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
