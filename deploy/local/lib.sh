# Shared by deploy/local/run and deploy/local/test: start the local services unless they are already
# up, stop them on exit if this script started them, and put their settings in the environment.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SERVICES="$ROOT/deploy/local/services"
export PATH="/opt/swift/usr/bin:$PATH"

start_services() {
  local before
  before="$("$SERVICES" status 2>/dev/null || true)"
  "$SERVICES" up
  if ! grep -q "rabbitmq: running" <<<"$before" || ! grep -q "postgres: running" <<<"$before"; then
    trap '"$SERVICES" down' EXIT
  fi
  eval "$("$SERVICES" env)"
}

require_swift() {
  command -v swift >/dev/null || { echo "swift not found: install Swift 6 (expected at /opt/swift)" >&2; exit 1; }
}
