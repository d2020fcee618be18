#!/usr/bin/env bash
# D1: the fleet skeleton. Gateway health, every backend reachable through the gateway, 502 when one is down.
source "$(dirname "$0")/lib.sh"
FLEET="$ROOT/scripts/fleet.sh"

code=$(http_code GET "$GATEWAY/v1/health")
check "gateway /v1/health is 200 with all six backends up" 200 "$code"
body=$(curl -s "$GATEWAY/v1/health")
check "fleet status ok" ok "$(json_field status <<<"$body")"

# each mount reaches its own backend: the answering service names itself in X-Lakehouse-Service
probe() { # path expected-service
  curl -s -o /dev/null -D - "$GATEWAY$1" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-lakehouse-service"{print $2}' | tail -1
}
check "/v1/storage reaches storaged" storaged "$(probe /v1/storage/health)"
check "/v1/catalog reaches catalogd" catalogd "$(probe /v1/catalog/health)"
check "/v1/ingest reaches ingestd" ingestd "$(probe /v1/ingest/_probe)"
check "/v1/sql reaches queryd" queryd "$(probe /v1/sql)"
check "/v1/vectors reaches vectord" vectord "$(probe /v1/vectors/health)"
check "/v1/embed reaches embedd" embedd "$(probe /v1/embed/models)"

# errors are JSON
body=$(curl -s "$GATEWAY/v1/nope")
check "unknown route is a JSON 404" 404 "$(json_field status <<<"$body")"

# one backend down -> 502 through the gateway, and /v1/health says which
"$FLEET" stop embedd >/dev/null
code=$(http_code POST "$GATEWAY/v1/embed" -H 'Content-Type: application/json' -d '{"texts":["x"]}')
check "embedd down -> 502 through the gateway" 502 "$code"
body=$(curl -s "$GATEWAY/v1/health")
check "health 503 names embedd" '["embedd"]' "$(json_field down <<<"$body" | tr -d ' ')"
check "gateway health is 503 while embedd is down" 503 "$(http_code GET "$GATEWAY/v1/health")"
"$FLEET" start embedd >/dev/null
check "embedd back -> gateway health 200" 200 "$(http_code GET "$GATEWAY/v1/health")"

finish
