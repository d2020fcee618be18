#!/usr/bin/env bash
# E1: erase a person through the gateway (issue 25): a dry run counts their rows per version, the erasure removes
# them from every version and their item from a vector index, and the audit log gets an entry without their values.
source "$(dirname "$0")/lib.sh"
DS="e1_people_$$"
IX="e1-cvs-$$"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"; curl -s -o /dev/null -X DELETE "$GATEWAY/v1/catalog/datasets/$DS";
  curl -s -o /dev/null -X DELETE "$GATEWAY/v1/vectors/index/$IX"' EXIT

ingest() { curl -s -o /dev/null -w '%{http_code}' -X POST "$GATEWAY/v1/ingest/$DS?mode=$1" -H 'Content-Type: text/csv' \
  --data-binary "$2"; }
check "v1: append -> 201" 201 "$(ingest append $'id,name,rate\np-1,Ada,10\np-2,Quaxford,20\np-3,Grace,30\n')"
check "v2: replace -> 201" 201 "$(ingest replace $'id,name,rate\np-2,Quaxford,21\np-4,Alan,40\n')"
check "index created" 201 "$(http_code POST "$GATEWAY/v1/vectors/index" -H 'Content-Type: application/json' \
  -d "{\"name\":\"$IX\",\"dim\":3}")"
check "items added" 200 "$(http_code POST "$GATEWAY/v1/vectors/index/$IX/add" -H 'Content-Type: application/json' \
  -d '{"items":[{"id":"p-1","vector":[1,0,0]},{"id":"p-2","vector":[0,1,0]}]}')"

req() { echo "{\"subject\":\"E1-smoke\",\"datasets\":{\"$DS\":\"id = 'p-2'\"},\"vectors\":{\"$IX\":[\"p-2\"]},\"dry_run\":$1}"; }
dry=$(curl -s -X POST "$GATEWAY/v1/erasure" -H 'Content-Type: application/json' -d "$(req true)")
check "dry run: 1 row in v1" 1 "$(json_field "datasets.$DS.versions.0.matching_rows" <<<"$dry")"
check "dry run: 1 row in v2" 1 "$(json_field "datasets.$DS.versions.1.matching_rows" <<<"$dry")"
check "dry run: the item is there" '["p-2"]' "$(json_field "vectors.$IX.items" <<<"$dry")"

code=$(curl -s -o "$TMP/started" -w '%{http_code}' -X POST "$GATEWAY/v1/erasure" -H 'Content-Type: application/json' \
  -d "$(req false)")
check "erase -> 202" 202 "$code"
id=$(json_field erasure_id <"$TMP/started")
state=""
for _ in $(seq 300); do
  state=$(curl -s "$GATEWAY/v1/erasure/$id" | json_field state)
  [ "$state" != in_progress ] && break
  sleep 0.2
done
check "the erasure completes" complete "$state"

count() { curl -s -X POST "$GATEWAY/v1/sql?version=$1" -H 'Content-Type: text/plain' --data-binary "$2" \
  | json_field rows.0.0; }
check "v1: the person is gone" 0 "$(count 1 "SELECT count(*) FROM $DS WHERE name = 'Quaxford'")"
check "v2: the person is gone" 0 "$(count 2 "SELECT count(*) FROM $DS WHERE name = 'Quaxford'")"
check "v1: the others stay" 2 "$(count 1 "SELECT count(*) FROM $DS")"
check "v2: the others stay" 1 "$(count 2 "SELECT count(*) FROM $DS")"
check "v1 names its erasure" "$id" "$(curl -s "$GATEWAY/v1/catalog/datasets/$DS/versions/1" | json_field erasure_id)"
check "the vector item is gone" 404 "$(http_code GET "$GATEWAY/v1/vectors/index/$IX/items/p-2")"

log=$(curl -s "$GATEWAY/v1/erasure/log?limit=1000")
check_contains "the audit log has the erasure" "$id" "$log"
entry=$(python3 -c 'import json,sys; print(json.dumps([e for e in json.load(sys.stdin)["entries"] if e["erasure_id"]==sys.argv[1]]))' "$id" <<<"$log")
check "the entry holds no erased value" "" "$(grep -o 'Quaxford\|p-2' <<<"$entry" || true)"

check "a predicate reading another table -> 400" erasure_predicate "$(curl -s -X POST "$GATEWAY/v1/erasure" \
  -H 'Content-Type: application/json' -d "{\"subject\":\"x\",\"datasets\":{\"$DS\":\"id IN (SELECT 1 FROM other)\"}}" \
  | json_field code)"
check "an unknown erasure -> 404" 404 "$(http_code GET "$GATEWAY/v1/erasure/00000000-0000-0000-0000-000000000000")"
check "vectord's erasure step is not public -> 403" 403 "$(http_code POST "$GATEWAY/v1/vectors/index/$IX/erase" \
  -H 'Content-Type: application/json' -d '{"ids":["p-1"]}')"
finish
