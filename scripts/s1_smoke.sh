#!/usr/bin/env bash
# S1: security. Backends listen on loopback only and answer only the fleet (ADR 0017); the secrets file is
# 0600; with LAKEHOUSE_TOKEN the gateway wants a bearer token on every /v1/* route except /v1/health, which
# shows status only.
source "$(dirname "$0")/lib.sh"

for s in "${SERVICES[@]}"; do
  addr=$(ss -ltnH "sport = :$(port_of "$s")" 2>/dev/null | awk '{print $4}' | head -1)
  host="${addr%:*}"; host="${host#[}"; host="${host%]}"; host="${host#::ffff:}"   # IPv4-mapped form too
  check "$s listens on loopback only" "127.0.0.1" "$host"
done

for s in "${BACKENDS[@]}"; do
  check "$s answers a caller without the fleet credential 401" 401 "$(http_code GET "http://127.0.0.1:$(port_of "$s")/nothing")"
done
SECRETS="${LAKEHOUSE_SECRETS_FILE:-$RUN_DIR/secrets.toml}"
check "the secrets file is 0600" 600 "$(stat -c %a "$SECRETS")"
health=$(curl -s "$GATEWAY/v1/health")
check "/v1/health without a token: status, no heap or URLs" "ok:no" \
  "$(json_field status <<<"$health"):$(grep -q -e heap -e 127.0.0.1 <<<"$health" && echo yes || echo no)"

# a second gateway in front of the same backends, with a token
tport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
LAKEHOUSE_GATEWAY_PORT=$tport LAKEHOUSE_TOKEN="smoke-$$-token" LAKEHOUSE_SECRETS_FILE="$SECRETS" \
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
