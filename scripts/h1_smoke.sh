#!/usr/bin/env bash
# H1 (issue 17): hybrid retrieval through the gateway, as a user would: a candidates CSV ingested, an index of
# their summaries (embedded by embedd) with city/rate metadata, then the analyst's question — top 10 in Austin
# with rate < 80 most similar to a text — in ONE SQL call joining vector_search() back to the dataset; a
# filtered, keyword and hybrid search on vectord; and the bad-input answers (bad filter 400, missing index 404).
# Then a dataset-backed index (issue 17 item 2): built from the dataset's rows, it follows an append (new
# version: only the new rows embedded) and turns stale, still searchable, when the dataset is deleted.
source "$(dirname "$0")/lib.sh"
DS="smoke_h1_$$"
IDX="smoke-h1-$$"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

jpost() { # PATH JSON -> body + status on the last line
  curl -s -w '\n%{http_code}' -X POST "$GATEWAY$1" -H 'Content-Type: application/json' --data-binary "$2"
}
sql() { # SQL -> body + status on the last line
  jpost /v1/sql "$(python3 -c 'import json,sys; print(json.dumps({"sql": sys.argv[1]}))' "$1")"
}

python3 "$(dirname "$0")/staffing_eval.py" "$TMP" candidates=300 >/dev/null
out=$(curl -s -w '\n%{http_code}' -X POST "$GATEWAY/v1/ingest/$DS" --data-binary "@$TMP/candidates.csv")
check "candidates CSV ingested -> 201" 201 "$(tail -1 <<<"$out")"

out=$(jpost /v1/vectors/index "{\"name\":\"$IDX\",\"dim\":384}")
check "index created -> 201" 201 "$(tail -1 <<<"$out")"
python3 - "$TMP/candidates.csv" >"$TMP/add.json" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(json.dumps({"items": [{"id": r["id"], "text": r["summary"], "metadata": {"city": r["city"], "rate": int(r["rate"]),
      "title": r["title"], "skills": r["skills"]}} for r in rows]}))
PY
out=$(curl -s -w '\n%{http_code}' -X POST "$GATEWAY/v1/vectors/index/$IDX/add" -H 'Content-Type: application/json' --data-binary "@$TMP/add.json")
check "300 candidates embedded and added -> 200" 200 "$(tail -1 <<<"$out")"

# the analyst's question, one call
q="SELECT c.name, c.city, c.rate, c.title, s.score FROM vector_search('$IDX', 'senior java backend engineer with kafka', k => 10, filter => 'city = ''Austin'' AND rate < 80') s JOIN $DS c ON c.id = s.id ORDER BY s.score DESC"
out=$(sql "$q"); body=$(sed '$d' <<<"$out")
check "vector_search joined to the dataset -> 200" 200 "$(tail -1 <<<"$out")"
expected=$(python3 - "$TMP/candidates.csv" <<'PY'
import csv, sys
print(min(10, sum(1 for r in csv.DictReader(open(sys.argv[1])) if r["city"] == "Austin" and int(r["rate"]) < 80)))
PY
)
check "as many rows as there are matches (up to 10)" "$expected" "$(json_field row_count <<<"$body")"
check "every row is in Austin with rate < 80" ok "$(python3 -c 'import json,sys
rows=json.load(sys.stdin)["rows"]
print("ok" if rows and all(r[1]=="Austin" and r[2]<80 for r in rows) else rows)' <<<"$body")"

out=$(jpost "/v1/vectors/index/$IDX/search" '{"text":"senior java backend engineer with kafka","k":5,"mode":"hybrid","filter":{"range":{"rate":{"lt":80}}}}')
check "hybrid filtered search -> 200" 200 "$(tail -1 <<<"$out")"
check "hybrid answers 5 hits under the filter" ok "$(sed '$d' <<<"$out" | python3 -c 'import json,sys
h=json.load(sys.stdin)["hits"]
print("ok" if len(h)==5 and all(x["metadata"]["rate"]<80 for x in h) else h)')"
out=$(jpost "/v1/vectors/index/$IDX/search" '{"text":"kafka","k":5,"mode":"keyword"}')
check "keyword hits all mention kafka" ok "$(sed '$d' <<<"$out" | python3 -c 'import json,sys
h=json.load(sys.stdin)["hits"]
print("ok" if h and all("kafka" in json.dumps(x["metadata"]).lower() for x in h) else h)')"

out=$(jpost "/v1/vectors/index/$IDX/search" '{"text":"java","filter":{"near":{"city":"Austin"}}}')
check "unknown filter operator -> 400" 400 "$(tail -1 <<<"$out")"
check "... naming it" near "$(sed '$d' <<<"$out" | json_field operator)"
out=$(jpost "/v1/vectors/index/$IDX/search" '{"text":"java","filter":{"eq":{"colour":"red"}}}')
check "a field no item has -> no hits" 0 "$(sed '$d' <<<"$out" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["hits"]))')"
out=$(sql "SELECT * FROM vector_search('no-such-index-$$', 'java')")
check "vector_search on a missing index -> 404" 404 "$(tail -1 <<<"$out")"
check "... index_not_found" index_not_found "$(sed '$d' <<<"$out" | json_field code)"

SIDX="smoke-h1-src-$$"
out=$(jpost /v1/vectors/index "{\"name\":\"$SIDX\",\"dim\":384,\"source\":{\"dataset\":\"$DS\",\"id_column\":\"id\",\"text_columns\":[\"summary\"],\"metadata_columns\":[\"city\",\"rate\",\"title\"]}}")
check "dataset-backed index created from the dataset -> 201" 201 "$(tail -1 <<<"$out")"
check "... it holds every row" 300 "$(sed '$d' <<<"$out" | json_field count)"
check "... and reflects version 1" 1 "$(sed '$d' <<<"$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["source"]["dataset_version"])')"
python3 - "$TMP/candidates.csv" >"$TMP/more.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0].keys()), lineterminator="\n")
w.writeheader()
for i, r in enumerate(rows[:2]):
    r = dict(r, id=str(900000 + i) if r["id"].isdigit() else "new-" + r["id"])
    w.writerow(r)
PY
out=$(curl -s -w '\n%{http_code}' -X POST "$GATEWAY/v1/ingest/$DS?mode=append" --data-binary "@$TMP/more.csv")
check "two rows appended (version 2) -> 201" 201 "$(tail -1 <<<"$out")"
out=$(jpost "/v1/vectors/index/$SIDX/sync" '')
check "sync -> 200" 200 "$(tail -1 <<<"$out")"
check "the index follows: version 2, 302 items, only the 2 new rows embedded" "2 302 2" "$(sed '$d' <<<"$out" | python3 -c 'import json,sys
b=json.load(sys.stdin); print(b["source"]["dataset_version"], b["count"], b["source"]["last_embedded"])')"
out=$(jpost "/v1/vectors/index/$IDX/sync" '')
check "sync of an index without a source -> 409" 409 "$(tail -1 <<<"$out")"

curl -s -o /dev/null -X DELETE "$GATEWAY/v1/vectors/index/$IDX"
curl -s -o /dev/null -X DELETE "$GATEWAY/v1/catalog/datasets/$DS"
out=$(jpost "/v1/vectors/index/$SIDX/sync" '')
check "dataset deleted -> the index is stale" stale "$(sed '$d' <<<"$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["source"]["status"])')"
out=$(jpost "/v1/vectors/index/$SIDX/search" '{"text":"senior java backend engineer","k":3}')
check "... and still answers searches" "200 3" "$(tail -1 <<<"$out") $(sed '$d' <<<"$out" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["hits"]))')"
curl -s -o /dev/null -X DELETE "$GATEWAY/v1/vectors/index/$SIDX"
finish
