#!/usr/bin/env bash
# D3: catalogd through the gateway. Register, idempotent re-register, 409 on a stale expected_version,
# list, kill -9 + restart of catalogd loses no acknowledged registration, and a lying manifest is a 400.
source "$(dirname "$0")/lib.sh"
FLEET="$ROOT/scripts/fleet.sh"
CAT="$GATEWAY/v1/catalog"
DS="smoke_d3_$$"

# catalogd checks every file against the object (size, ETag, Parquet footer), and datasets/ is read-only
# through the gateway: real files come from ingesting two small CSVs into helper datasets
ingest() { printf "$2" | curl -s -X POST --data-binary @- "$GATEWAY/v1/ingest/$1" >/dev/null; }
ingest "${DS}_a" 'id,name\n1,ann\n2,bob\n3,cy\n'
ingest "${DS}_b" 'id,name\n4,di\n5,ed\n6,flo\n7,gus\n'
file_of() { curl -s "$CAT/datasets/$1" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["files"][0]))'; }
fa=$(file_of "${DS}_a"); fb=$(file_of "${DS}_b")
schema='[{"name":"id","type":"BIGINT"},{"name":"name","type":"VARCHAR"}]'
body1='{"schema":'$schema',"files":['$fa']}'
body2='{"schema":'$schema',"files":['$fa','$fb'],"expected_version":1}'
post() { curl -s -w '\n%{http_code}' -X POST "$CAT/datasets/$1/manifests" -H 'Content-Type: application/json' -d "$2"; }

out=$(post "$DS" "$body1"); code=$(tail -1 <<<"$out"); json=$(sed '$d' <<<"$out")
check "register v1 -> 201" 201 "$code"
check "v1 version" 1 "$(json_field version <<<"$json")"
check "v1 rows" 3 "$(json_field rows <<<"$json")"
hash1=$(json_field content_hash <<<"$json")
check_contains "content hash is sha256" "sha256:" "$hash1"

out=$(post "$DS" "$body1"); code=$(tail -1 <<<"$out"); json=$(sed '$d' <<<"$out")
check "same content again -> 200" 200 "$code"
check "same content -> still version 1" 1 "$(json_field version <<<"$json")"
check "same content hash" "$hash1" "$(json_field content_hash <<<"$json")"

out=$(post "$DS" "$body2"); code=$(tail -1 <<<"$out"); json=$(sed '$d' <<<"$out")
check "register v2 with expected_version 1 -> 201" 201 "$code"
check "v2 rows add up" 7 "$(json_field rows <<<"$json")"

stale='{"schema":[{"name":"id","type":"BIGINT"}],"files":[],"expected_version":1}'
out=$(post "$DS" "$stale"); code=$(tail -1 <<<"$out"); json=$(sed '$d' <<<"$out")
check "stale expected_version -> 409" 409 "$code"
check "409 names the current version" 2 "$(json_field current_version <<<"$json")"

check "bad dataset name -> 400" 400 "$(http_code POST "$CAT/datasets/Bad-Name/manifests" -H 'Content-Type: application/json' -d "$body1")"
check "unknown dataset -> 404" 404 "$(http_code GET "$CAT/datasets/no_such_$$")"
check "version 1 still readable" 3 "$(curl -s "$CAT/datasets/$DS/versions/1" | json_field rows)"

list=$(curl -s "$CAT/datasets")
check_contains "list has the dataset" "\"name\":\"$DS\",\"latest_version\":2,\"rows\":7" "$(tr -d ' \n' <<<"$list")"

# kill -9 catalogd: every acknowledged registration must come back from storaged
"$FLEET" kill catalogd
check "catalogd down -> 502 via gateway" 502 "$(http_code GET "$CAT/datasets")"
"$FLEET" start catalogd >/dev/null
check "after restart: latest is v2" 2 "$(curl -s "$CAT/datasets/$DS" | json_field version)"
list=$(curl -s "$CAT/datasets")
check_contains "after restart: still listed" "\"name\":\"$DS\",\"latest_version\":2,\"rows\":7" "$(tr -d ' \n' <<<"$list")"
out=$(post "$DS" "$body2"); code=$(tail -1 <<<"$out")
check "after restart: re-register of v2 is still idempotent" 200 "$code"

# delete is durable too
check "delete -> 200" 200 "$(http_code DELETE "$CAT/datasets/$DS")"
check "deleted -> 404" 404 "$(http_code GET "$CAT/datasets/$DS")"
"$FLEET" kill catalogd
check "catalogd down again -> 502" 502 "$(http_code GET "$CAT/datasets/$DS")"
"$FLEET" start catalogd >/dev/null
check "deleted stays deleted after kill -9" 404 "$(http_code GET "$CAT/datasets/$DS")"

# a manifest that lies about its file (rows, column types) is refused, naming what differs
lie=$(python3 -c 'import json,sys; f=json.loads(sys.argv[1]); f["rows"]=5
print(json.dumps({"schema":[{"name":"id","type":"VARCHAR"},{"name":"name","type":"VARCHAR"}],"files":[f]}))' "$fa")
out=$(post "$DS" "$lie"); code=$(tail -1 <<<"$out"); json=$(sed '$d' <<<"$out")
check "lying manifest -> 400" 400 "$code"
check "400 code manifest_mismatch" manifest_mismatch "$(json_field code <<<"$json")"
check "400 names rows then columns" '["rows","columns"]' "$(python3 -c 'import json,sys; print(json.dumps([m["field"] for m in json.load(sys.stdin)["mismatches"]]).replace(" ",""))' <<<"$json")"
http_code DELETE "$CAT/datasets/${DS}_a" >/dev/null; http_code DELETE "$CAT/datasets/${DS}_b" >/dev/null

finish
