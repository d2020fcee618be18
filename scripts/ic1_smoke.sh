#!/usr/bin/env bash
# IC1: the Iceberg REST catalog through the gateway (docs/iceberg.md), as an Iceberg client sees it: config,
# the namespace, the dataset as a table, its metadata with one snapshot per version (snapshot id = version,
# total-records = what /v1/sql counts), ETag/304, and writes refused with the protocol's 406.
source "$(dirname "$0")/lib.sh"
DS="smoke_ic1_$$"
IC="$GATEWAY/v1/iceberg/v1"

sql() { curl -s -X POST "$GATEWAY/v1/sql${2:-}" -H 'Content-Type: application/json' \
  --data-binary "$(python3 -c 'import json,sys; print(json.dumps({"sql": sys.argv[1]}))' "$1")"; }

csv1=$(python3 -c 'print("id,amount"); [print(f"{i},{i % 7}") for i in range(40)]')
csv2=$(python3 -c 'print("id,amount"); [print(f"{i},{i % 7}") for i in range(40, 65)]')
check "ingest v1 -> 201" 201 "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$GATEWAY/v1/ingest/$DS" -H 'Content-Type: text/csv' --data-binary "$csv1")"
check "append v2 -> 201" 201 "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$GATEWAY/v1/ingest/$DS?mode=append" -H 'Content-Type: text/csv' --data-binary "$csv2")"

cfg=$(curl -s "$IC/config")
check_contains "config lists the load-table endpoint" "GET /v1/{prefix}/namespaces/{namespace}/tables/{table}" "$cfg"
check_contains "config gives the S3 endpoint" "s3.endpoint" "$cfg"
check_contains "namespaces: lakehouse" '["lakehouse"]' "$(curl -s "$IC/namespaces" | tr -d ' ')"
check_contains "the dataset is a table" "\"name\":\"$DS\"" "$(curl -s "$IC/namespaces/lakehouse/tables" | tr -d ' ')"

load=$(curl -s "$IC/namespaces/lakehouse/tables/$DS")
check_contains "metadata-location is v2's" "datasets/$DS/metadata/v2.metadata.json" "$(json_field metadata-location <<<"$load")"
check "current snapshot = version 2" 2 "$(json_field metadata.current-snapshot-id <<<"$load")"
check "format-version 2" 2 "$(json_field metadata.format-version <<<"$load")"
check_contains "name mapping set" "schema.name-mapping.default" "$(json_field metadata.properties <<<"$load")"
n1=$(json_field rows.0.0 <<<"$(sql "SELECT count(*) FROM $DS" "?version=1")")
n2=$(json_field rows.0.0 <<<"$(sql "SELECT count(*) FROM $DS")")
check "snapshot 1 records = /v1/sql?version=1 count" "$n1" "$(json_field metadata.snapshots.0.summary.total-records <<<"$load")"
check "snapshot 2 records = /v1/sql count" "$n2" "$(json_field metadata.snapshots.1.summary.total-records <<<"$load")"

etag=$(curl -s -o /dev/null -D - "$IC/namespaces/lakehouse/tables/$DS" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
check "If-None-Match -> 304" 304 "$(http_code GET "$IC/namespaces/lakehouse/tables/$DS" -H "If-None-Match: $etag")"
check "HEAD table -> 204" 204 "$(http_code HEAD "$IC/namespaces/lakehouse/tables/$DS")"
body=$(curl -s "$IC/namespaces/lakehouse/tables/nope_$$")
check "unknown table: NoSuchTableException" NoSuchTableException "$(json_field error.type <<<"$body")"
body=$(curl -s -X POST "$IC/namespaces/lakehouse/tables" -H 'Content-Type: application/json' -d '{"name":"x"}')
check "create table: 406" 406 "$(json_field error.code <<<"$body")"
check "metrics report -> 204" 204 "$(http_code POST "$IC/namespaces/lakehouse/tables/$DS/metrics" -H 'Content-Type: application/json' -d '{}')"

check "delete $DS" 200 "$(http_code DELETE "$GATEWAY/v1/catalog/datasets/$DS")"
check "its metadata is gone" 404 "$(http_code HEAD "$IC/namespaces/lakehouse/tables/$DS")"
finish
