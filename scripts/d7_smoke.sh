#!/usr/bin/env bash
# D7: the files people have, through the gateway: a TSV sniffed into typed columns (dialect in the 201 body),
# ISO timestamps with offsets and TIME kept (typeof() through /v1/sql), a gzip'd body, NDJSON, then compaction
# as a new version with time travel answering as before. (The zip bomb is IngestFormatsTest's: past the default
# 8 GiB cap it would spool 8 GiB here.)
source "$(dirname "$0")/lib.sh"
DS="smoke_d7_$$"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

post() { # PATH BODYFILE [CURL ARGS...] -> body + status on the last line
  local path="$1" file="$2"; shift 2
  curl -s -w '\n%{http_code}' -X POST "$GATEWAY/v1/ingest/$path" --data-binary "@$file" "$@"
}
sql() { # SQL [QUERY] -> body
  curl -s -X POST "$GATEWAY/v1/sql${2:-}" -H 'Content-Type: application/json' \
    -d "$(python3 -c 'import json,sys; print(json.dumps({"sql": sys.argv[1]}))' "$1")"
}

printf 'id\trate\tat\tt\n1\t2.5\t2024-01-01T10:00:00Z\t10:11:12\n2\t3.25\t2024-01-02T11:00:00+01:00\t23:59:59\n' >"$TMP/a.tsv"
out=$(post "$DS" "$TMP/a.tsv"); code=$(tail -1 <<<"$out"); json=$(sed '$d' <<<"$out")
check "TSV -> 201" 201 "$code"
check "TSV -> 4 typed columns" '[{"name":"id","type":"BIGINT"},{"name":"rate","type":"DOUBLE"},{"name":"at","type":"TIMESTAMPWITHTIMEZONE"},{"name":"t","type":"TIME"}]' \
  "$(json_field schema <<<"$json" | tr -d ' ')"
check "dialect in the 201 body" '"\t"' "$(json_field dialect.delimiter <<<"$json" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read().rstrip("\n")))')"
check_contains "queryd sees DuckDB's types" 'TIMESTAMP WITH TIME ZONE' "$(sql "SELECT typeof(\"at\") || '/' || typeof(t) AS ty FROM $DS LIMIT 1")"

# the same rows gzip'd, by Content-Encoding: appended as v2
gzip -c "$TMP/a.tsv" >"$TMP/a.tsv.gz"
out=$(post "$DS?mode=append" "$TMP/a.tsv.gz" -H 'Content-Encoding: gzip'); code=$(tail -1 <<<"$out")
check "gzip'd TSV appended -> 201" 201 "$code"
check "gzip'd rows add up" 4 "$(json_field rows <<<"$(sed '$d' <<<"$out")")"

printf '{"id":1,"name":"a"}\n{"id":2,"name":null}\n' >"$TMP/e.ndjson"
out=$(post "${DS}_nd" "$TMP/e.ndjson" -H 'Content-Type: application/x-ndjson'); code=$(tail -1 <<<"$out")
check "NDJSON -> 201" 201 "$code"
check "NDJSON format" ndjson "$(json_field format <<<"$(sed '$d' <<<"$out")")"

# compaction: v3 with one file; v2 (two files) still answers the same
before=$(sql "SELECT count(*), sum(rate) FROM $DS" "?version=2" | json_field rows)
out=$(post "$DS/compact" /dev/null); code=$(tail -1 <<<"$out"); json=$(sed '$d' <<<"$out")
check "compact -> 201" 201 "$code"
check "compact -> version 3" 3 "$(json_field version <<<"$json")"
check "compact -> one file" 1 "$(json_field compaction.files_after <<<"$json")"
check "compacted answers as v2" "$before" "$(sql "SELECT count(*), sum(rate) FROM $DS" | json_field rows)"
check "v2 still answers" "$before" "$(sql "SELECT count(*), sum(rate) FROM $DS" "?version=2" | json_field rows)"

for ds in "$DS" "${DS}_nd"; do curl -s -o /dev/null -X DELETE "$GATEWAY/v1/catalog/datasets/$ds"; done
finish
