#!/usr/bin/env bash
# S1: security. Backends listen on loopback only; with LAKEHOUSE_TOKEN the gateway wants a bearer token
# on every /v1/* route except /v1/health.
source "$(dirname "$0")/lib.sh"

for s in "${SERVICES[@]}"; do
  addr=$(ss -ltnH "sport = :$(port_of "$s")" 2>/dev/null | awk '{print $4}' | head -1)
  host="${addr%:*}"; host="${host#[}"; host="${host%]}"; host="${host#::ffff:}"   # IPv4-mapped form too
  check "$s listens on loopback only" "127.0.0.1" "$host"
done

# a second gateway in front of the same backends, with a token
tport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
LAKEHOUSE_GATEWAY_PORT=$tport LAKEHOUSE_TOKEN="smoke-$$-token" \
  java -Xmx256m -jar "$ROOT/gateway/target/gateway.jar" >"$RUN_DIR/gateway-token.log" 2>&1 &
gpid=$!
trap 'kill $gpid 2>/dev/null; wait $gpid 2>/dev/null || true' EXIT
TG="http://127.0.0.1:$tport"
wait_http "$TG/health" 60 || { fail "token gateway did not start"; finish; }

check "no token -> 401" 401 "$(http_code GET "$TG/v1/storage/objects?limit=1")"
check "wrong token -> 401" 401 "$(http_code GET "$TG/v1/catalog/datasets" -H 'Authorization: Bearer nope')"
body=$(curl -s "$TG/v1/sql" -X POST -d '{"sql":"SELECT 1"}' -H 'Content-Type: application/json')
check "401 body is JSON" 401 "$(json_field status <<<"$body")"
check "right token -> 200" 200 "$(http_code GET "$TG/v1/storage/objects?limit=1" -H "Authorization: Bearer smoke-$$-token")"
check "/v1/health stays open" 200 "$(http_code GET "$TG/v1/health")"
check "default gateway (no token) stays open" 200 "$(http_code GET "$GATEWAY/v1/storage/objects?limit=1")"
finish
