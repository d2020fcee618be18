#!/usr/bin/env bash
# D4: CSV -> Parquet through the gateway. Round trip (Parquet readable back via /v1/storage, manifest rows),
# append, schema drift 409, malformed CSV 400 naming the line, and no orphan Parquet after failures.
source "$(dirname "$0")/lib.sh"
DS="smoke_d4_$$"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

ingest() { # DATASET QUERY CSVFILE -> body + status on the last line
  curl -s -w '\n%{http_code}' -X POST "$GATEWAY/v1/ingest/$1$2" -H 'Content-Type: text/csv' --data-binary "@$3"
}

printf 'id,price,active,day,at,name\n1,9.5,true,2024-01-02,2024-01-02 10:11:12,"Smith, Jane"\n2,10,false,2024-02-03,2024-02-03 00:00:00,Bob\n3,,true,2024-03-04,2024-03-04 23:59:59,\n' >"$TMP/a.csv"
out=$(ingest "$DS" "" "$TMP/a.csv"); code=$(tail -1 <<<"$out"); json=$(sed '$d' <<<"$out")
check "ingest CSV -> 201" 201 "$code"
check "manifest rows" 3 "$(json_field rows <<<"$json")"
check "inferred schema" '[{"name":"id","type":"BIGINT"},{"name":"price","type":"DOUBLE"},{"name":"active","type":"BOOLEAN"},{"name":"day","type":"DATE"},{"name":"at","type":"TIMESTAMP"},{"name":"name","type":"VARCHAR"}]' \
  "$(json_field schema <<<"$json" | tr -d ' ')"
key=$(json_field files.0.key <<<"$json")
bytes=$(json_field files.0.bytes <<<"$json")
check_contains "parquet key under datasets/$DS/" "datasets/$DS/" "$key"

# the Parquet file comes back through the gateway, whole and with Parquet magic at both ends
curl -s -o "$TMP/got.parquet" "$GATEWAY/v1/storage/objects/$key"
check "parquet size matches manifest" "$bytes" "$(stat -c %s "$TMP/got.parquet")"
check "parquet header magic" PAR1 "$(head -c 4 "$TMP/got.parquet")"
check "parquet footer magic" PAR1 "$(tail -c 4 "$TMP/got.parquet")"
check "catalog has the manifest" 3 "$(curl -s "$GATEWAY/v1/catalog/datasets/$DS" | json_field rows)"

printf 'id,price,active,day,at,name\n4,1,true,2024-04-05,2024-04-05 01:02:03,Eve\n5,2.25,false,2024-05-06,2024-05-06 04:05:06,Max\n' >"$TMP/b.csv"
out=$(ingest "$DS" "?mode=append" "$TMP/b.csv"); code=$(tail -1 <<<"$out"); json=$(sed '$d' <<<"$out")
check "append -> 201" 201 "$code"
check "append -> version 2" 2 "$(json_field version <<<"$json")"
check "append -> rows add up" 5 "$(json_field rows <<<"$json")"

# schema drift: renamed column, and text in a BIGINT column
printf 'id,cost,active,day,at,name\n6,1,true,2024-01-01,2024-01-01 00:00:00,x\n' >"$TMP/drift.csv"
out=$(ingest "$DS" "" "$TMP/drift.csv"); code=$(tail -1 <<<"$out"); json=$(sed '$d' <<<"$out")
check "renamed column -> 409" 409 "$code"
check "409 has expected" price "$(json_field expected.1.name <<<"$json")"
check "409 has got" cost "$(json_field got.1.name <<<"$json")"
printf 'id,price,active,day,at,name\nseven,1,true,2024-01-01,2024-01-01 00:00:00,x\n' >"$TMP/drift2.csv"
out=$(ingest "$DS" "" "$TMP/drift2.csv"); code=$(tail -1 <<<"$out"); json=$(sed '$d' <<<"$out")
check "text into BIGINT -> 409" 409 "$code"
check "409 got type" VARCHAR "$(json_field got.0.type <<<"$json")"

# malformed CSV: 400 naming the line
printf 'id,price,active,day,at,name\n8,1,true,2024-01-01,2024-01-01 00:00:00,x\n9,2,false\n' >"$TMP/ragged.csv"
out=$(ingest "$DS" "" "$TMP/ragged.csv"); code=$(tail -1 <<<"$out"); json=$(sed '$d' <<<"$out")
check "ragged row -> 400" 400 "$code"
check_contains "400 names line 3" "line 3" "$(json_field error <<<"$json")"
printf 'id,price,active,day,at,name\n8,1,true,2024-01-01,2024-01-01 00:00:00,"open\n' >"$TMP/quote.csv"
out=$(ingest "$DS" "" "$TMP/quote.csv"); code=$(tail -1 <<<"$out"); json=$(sed '$d' <<<"$out")
check "unterminated quote -> 400" 400 "$code"
check_contains "400 names line 2" "line 2" "$(json_field error <<<"$json")"
: >"$TMP/empty.csv"
check "empty body -> 400" 400 "$(tail -1 <<<"$(ingest "$DS" "" "$TMP/empty.csv")")"

# nothing half-written: still version 2, and exactly its two files under datasets/$DS/
check "failures registered nothing" 2 "$(curl -s "$GATEWAY/v1/catalog/datasets/$DS" | json_field version)"
listed=$(curl -s "$GATEWAY/v1/storage/objects?prefix=datasets/$DS/" | python3 -c 'import json,sys; print(sum(1 for o in json.load(sys.stdin)["objects"] if "/metadata/" not in o["key"]))')
# (datasets/$DS/metadata/ is catalogd's Iceberg metadata, not data files: ADR 0023)
check "no orphan parquet under datasets/$DS/" 2 "$listed"

# replace swaps the schema and leaves one file in the new version
printf 'word\nhello\n' >"$TMP/r.csv"
out=$(ingest "$DS" "?mode=replace" "$TMP/r.csv"); code=$(tail -1 <<<"$out"); json=$(sed '$d' <<<"$out")
check "replace -> 201" 201 "$code"
check "replace -> one file" 1 "$(json_field files <<<"$json" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"

finish
