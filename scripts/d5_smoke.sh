#!/usr/bin/env bash
# D5: SQL over an ingested dataset through the gateway: right aggregates, time travel, forbidden statements 400,
# local files and URLs 403.
source "$(dirname "$0")/lib.sh"
DS="d5_sales_$$"
SQL="$GATEWAY/v1/sql"

sql() { curl -s -X POST "$SQL${2:-}" -H 'Content-Type: application/json' \
  --data-binary "$(python3 -c 'import json,sys; print(json.dumps({"sql": sys.argv[1]}))' "$1")"; }
sql_code() { curl -s -o /dev/null -w '%{http_code}' -X POST "$SQL" -H 'Content-Type: text/plain' --data-binary "$1"; }

# a small CSV with known aggregates: 3 regions, 300 rows, amount = i % 10
csv=$(python3 -c '
R = ["north", "south", "east"]
print("id,region,amount")
for i in range(300): print(f"{i},{R[i % 3]},{i % 10}.5")')
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$GATEWAY/v1/ingest/$DS" -H 'Content-Type: text/csv' --data-binary "$csv")
check "ingest $DS -> 201" 201 "$code"

body=$(sql "SELECT region, count(*) AS n, sum(amount) AS total FROM $DS GROUP BY region ORDER BY region")
check "three groups" 3 "$(json_field row_count <<<"$body")"
check "first group is east" east "$(json_field rows.0.0 <<<"$body")"
check "east has 100 rows" 100 "$(json_field rows.0.1 <<<"$body")"
check "column types reported" BIGINT "$(json_field columns.1.type <<<"$body")"
# east = i%3==2: i%10 cycles evenly over 0..9 (100 rows, 10 each) -> sum(i%10 + .5) = 10*45 + 50 = 500
check "east total" 500.0 "$(json_field rows.0.2 <<<"$body")"
body=$(sql "SELECT count(*), sum(amount), min(id), max(id) FROM $DS")
check "count(*)" 300 "$(json_field rows.0.0 <<<"$body")"
check "sum(amount)" 1500.0 "$(json_field rows.0.1 <<<"$body")"
check "max(id)" 299 "$(json_field rows.0.3 <<<"$body")"
v1=$(json_field versions.$DS <<<"$body")

# an append is visible at once; the old version stays queryable
curl -s -o /dev/null -X POST "$GATEWAY/v1/ingest/$DS" -H 'Content-Type: text/csv' --data-binary $'id,region,amount\n300,west,1000.0'
check "append seen by the next query" 301 "$(json_field rows.0.0 <<<"$(sql "SELECT count(*) FROM $DS")")"
check "?version=$v1 answers from the old manifest" 300 "$(json_field rows.0.0 <<<"$(sql "SELECT count(*) FROM $DS" "?version=$v1")")"

# row limit
body=$(sql "SELECT * FROM $DS" "?limit=10")
check "row limit cuts at 10" 10 "$(json_field row_count <<<"$body")"
check "truncated flag" True "$(json_field truncated <<<"$body")"

# only one read-only statement
for stmt in "INSTALL httpfs" "LOAD httpfs" "ATTACH '/tmp/x.db' AS x" "COPY $DS TO '/tmp/x.csv'" "PRAGMA version" \
            "SET enable_external_access = true" "CREATE TABLE t AS SELECT 1" "DROP VIEW $DS" "SELECT 1; SELECT 2"; do
  check "forbidden: $stmt -> 400" 400 "$(sql_code "$stmt")"
done
body=$(curl -s -X POST "$SQL" -H 'Content-Type: text/plain' --data-binary "DROP TABLE $DS")
check "error is JSON with status" 400 "$(json_field status <<<"$body")"
check "EXPLAIN is allowed" 200 "$(sql_code "EXPLAIN SELECT count(*) FROM $DS")"

# no local files, no URLs
for stmt in "SELECT * FROM read_csv('/etc/passwd')" "SELECT * FROM read_text('/etc/hostname')" \
            "SELECT * FROM read_parquet('http://127.0.0.1:1/x.parquet')" "SELECT * FROM glob('/etc/*')"; do
  check "refused: $stmt -> 403" 403 "$(sql_code "$stmt")"
done
check "data still there afterwards" 301 "$(json_field rows.0.0 <<<"$(sql "SELECT count(*) FROM $DS")")"

finish
