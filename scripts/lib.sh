# Shared shell helpers for fleet control, smokes and benches. Source it; don't run it.
# Everything is derived from the same env the services read (LAKEHOUSE_*), so scripts and services agree.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${LAKEHOUSE_RUN_DIR:-$ROOT/run}"
OFFSET="${LAKEHOUSE_PORT_OFFSET:-0}"
SERVICES=(storaged catalogd ingestd queryd vectord embedd gateway)
BACKENDS=(storaged catalogd ingestd queryd vectord embedd)

port_of() {
  local base
  case "$1" in
    gateway) base=3110 ;; storaged) base=3211 ;; catalogd) base=3212 ;; ingestd) base=3213 ;;
    queryd) base=3214 ;; vectord) base=3215 ;; embedd) base=3216 ;; devs3|s3) base=9000 ;;
    *) echo "unknown service $1" >&2; return 1 ;;
  esac
  local var="LAKEHOUSE_$(echo "$1" | tr a-z A-Z)_PORT"
  [ "$1" = devs3 ] && var=LAKEHOUSE_S3_PORT
  echo "${!var:-$((base + OFFSET))}"
}

GATEWAY="${GATEWAY:-http://127.0.0.1:$(port_of gateway)}"

# --- smoke output: PASS/FAIL lines, non-zero exit on any failure ---
FAILS=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; FAILS=$((FAILS + 1)); }
# check NAME EXPECTED ACTUAL
check() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1 (expected '$2', got '$3')"; fi; }
# check_contains NAME NEEDLE HAYSTACK
check_contains() { if [[ "$3" == *"$2"* ]]; then pass "$1"; else fail "$1 (no '$2' in: ${3:0:300})"; fi; }
finish() {
  if [ "$FAILS" -eq 0 ]; then echo "$(basename "$0"): all checks passed"; exit 0; fi
  echo "$(basename "$0"): $FAILS check(s) failed"; exit 1
}

# http_code METHOD URL [curl args...] -> prints status code only
http_code() { local m="$1" u="$2"; shift 2; curl -s -o /dev/null -w '%{http_code}' -X "$m" "$u" "$@"; }

# json_field FIELD <<< JSON : top-level or dotted path, via python (present on the machines) or jq
json_field() {
  python3 -c 'import json,sys
d=json.load(sys.stdin)
for k in sys.argv[1].split("."):
    d = d[int(k)] if isinstance(d, list) else d.get(k) if isinstance(d, dict) else None
print("" if d is None else (json.dumps(d) if isinstance(d,(dict,list)) else d))' "$1"
}

wait_http() { # URL TIMEOUT_SECONDS
  local deadline=$((SECONDS + ${2:-60}))
  until curl -s -o /dev/null "$1"; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.2
  done
}

wait_healthy() { # SERVICE TIMEOUT_SECONDS
  local url="http://127.0.0.1:$(port_of "$1")/health" deadline=$((SECONDS + ${2:-90}))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ]; do
    if [ $SECONDS -ge $deadline ]; then return 1; fi
    if ! is_running "$1"; then return 1; fi
    sleep 0.2
  done
}

pid_of() { cat "$RUN_DIR/$1.pid" 2>/dev/null || true; }
is_running() { local p; p="$(pid_of "$1")"; [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
