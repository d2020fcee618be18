#!/usr/bin/env bash
# D6: the whole SQL path through the gateway only: CSV ingest -> Parquet + manifest -> SQL as JSON, CSV and Arrow.
source "$(dirname "$0")/lib.sh"
DS="d6_trips_$$"
SQL="$GATEWAY/v1/sql"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

python3 -c '
import datetime
C = ["paris", "lyon", "nice", "lille"]
print("trip_id,city,distance_km,fare,shared,started_at,day")
for i in range(5000):
    d = datetime.date(2026, 1, 1) + datetime.timedelta(days=i % 31)
    print(f"{i},{C[i % 4]},{(i % 50) / 2},{(i % 50) * 1.5 + 3},{str(i % 2 == 0).lower()},{d}T{i % 24:02d}:15:00,{d}")' >"$TMP/trips.csv"

resp=$(curl -s -w '\n%{http_code}' -X POST "$GATEWAY/v1/ingest/$DS" -H 'Content-Type: text/csv' --data-binary @"$TMP/trips.csv")
check "ingest 5000 rows -> 201" 201 "$(tail -1 <<<"$resp")"
manifest=$(head -n -1 <<<"$resp")
check "manifest counts the rows" 5000 "$(json_field rows <<<"$manifest")"
check "manifest names the dataset" "$DS" "$(json_field dataset <<<"$manifest")"

q='{"sql":"SELECT city, count(*) AS trips, round(sum(fare), 2) AS fares, count(*) FILTER (WHERE shared) AS shared FROM '"$DS"' GROUP BY city ORDER BY city"}'
body=$(curl -s -X POST "$SQL" -H 'Content-Type: application/json' -d "$q")
check "JSON: four cities" 4 "$(json_field row_count <<<"$body")"
check "JSON: lille first" lille "$(json_field rows.0.0 <<<"$body")"
check "JSON: 1250 trips each" 1250 "$(json_field rows.0.1 <<<"$body")"
# lille = i%4==3 -> i%50 odd numbers only... fare = (i%50)*1.5+3; i%4==3 & i%50 covers 25 odd residues evenly (50 each)
expect=$(python3 -c 'print(round(sum((i % 50) * 1.5 + 3 for i in range(5000) if i % 4 == 3), 2))')
check "JSON: lille fares" "$expect" "$(json_field rows.0.2 <<<"$body")"
check "JSON: shared trips of lille (odd ids never shared)" 0 "$(json_field rows.0.3 <<<"$body")"
check "JSON: timestamps inferred" TIMESTAMP "$(json_field columns.0.type <<<"$(curl -s -X POST "$SQL" -H 'Content-Type: text/plain' --data-binary "SELECT started_at FROM $DS LIMIT 1")")"

csv=$(curl -s -D "$TMP/h" -X POST "$SQL?limit=100000" -H 'Accept: text/csv' -H 'Content-Type: text/plain' \
  --data-binary "SELECT trip_id, city, day FROM $DS WHERE distance_km >= 24 ORDER BY trip_id")
check_contains "CSV: content type" "text/csv" "$(tr -d '\r' <"$TMP/h" | grep -i '^content-type')"
check "CSV: header row" "trip_id,city,day" "$(head -1 <<<"$csv" | tr -d '\r')"
want=$(python3 -c 'print(sum(1 for i in range(5000) if (i % 50) / 2 >= 24))')
check "CSV: filtered rows" "$want" "$(($(wc -l <<<"$csv") - 1))"
check "CSV: first row" "48,paris,2026-01-18" "$(sed -n 2p <<<"$csv" | tr -d '\r')"

curl -s -D "$TMP/ah" -o "$TMP/out.arrows" -X POST "$SQL?limit=100000" -H 'Accept: application/vnd.apache.arrow.stream' \
  -H 'Content-Type: text/plain' --data-binary "SELECT trip_id, city, fare FROM $DS"
check_contains "Arrow: content type" "application/vnd.apache.arrow.stream" "$(tr -d '\r' <"$TMP/ah" | grep -i '^content-type')"
# an Arrow IPC stream: messages start with the 0xFFFFFFFF continuation marker, the schema names the columns,
# and it ends with the end-of-stream marker (0xFFFFFFFF 0x00000000)
check "Arrow: starts with the IPC continuation marker" ffffffff "$(head -c 4 "$TMP/out.arrows" | od -An -tx1 | tr -d ' \n')"
check "Arrow: ends with end-of-stream" ffffffff00000000 "$(tail -c 8 "$TMP/out.arrows" | od -An -tx1 | tr -d ' \n')"
names=$(head -c 1024 "$TMP/out.arrows" | LC_ALL=C tr -c 'a-z_' '\n' | grep -x 'trip_id\|city\|fare' | sort | tr '\n' ' ')
check "Arrow: schema names the columns" "city fare trip_id " "$names"
size=$(stat -c %s "$TMP/out.arrows")
[ "$size" -gt $((5000 * 16)) ] && pass "Arrow: body holds 5000 rows of int64+double ($size bytes)" || fail "Arrow body too small: $size"

# the answers name the manifest version they were computed from
check "versions header names the dataset" "$DS=1" "$(curl -s -D - -o /dev/null -X POST "$SQL" -H 'Content-Type: text/plain' \
  --data-binary "SELECT count(*) FROM $DS" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-lakehouse-versions"{print $2}')"
finish
