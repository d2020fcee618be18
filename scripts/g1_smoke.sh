#!/usr/bin/env bash
# G1: vectord HNSW through the gateway — recall on a known set against exact brute force, dim mismatch 400
# (whole batch refused), duplicate create 409, bad distance 400, per-item delete, index delete.
source "$(dirname "$0")/lib.sh"
V="$GATEWAY/v1/vectors"
IDX="g1_$$"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
J=(-H 'Content-Type: application/json')

check "create index -> 201" 201 "$(http_code POST "$V/index" "${J[@]}" -d "{\"name\":\"$IDX\",\"dim\":32,\"distance\":\"cosine\",\"m\":16,\"ef_construction\":200}")"
check "duplicate create -> 409" 409 "$(http_code POST "$V/index" "${J[@]}" -d "{\"name\":\"$IDX\",\"dim\":32}")"
check "bad distance -> 400" 400 "$(http_code POST "$V/index" "${J[@]}" -d "{\"name\":\"${IDX}x\",\"dim\":32,\"distance\":\"hamming\"}")"
check "bad dim -> 400" 400 "$(http_code POST "$V/index" "${J[@]}" -d "{\"name\":\"${IDX}y\",\"dim\":0}")"

# a known set: 2000 clustered 32-d vectors, and the exact top-10 of 50 queries by brute force
python3 - "$TMP" <<'PY'
import json, random, math, sys
d = sys.argv[1]; random.seed(7); dim = 32
centres = [[random.gauss(0, 1) for _ in range(dim)] for _ in range(20)]
def point():
    c = random.choice(centres); return [x + 0.4 * random.gauss(0, 1) for x in c]
data = [point() for _ in range(2000)]
queries = [point() for _ in range(50)]
def unit(v):
    n = math.sqrt(sum(x * x for x in v)); return [x / n for x in v]
ud = [unit(v) for v in data]
truth = []
for q in queries:
    uq = unit(q)
    sims = sorted(range(len(ud)), key=lambda i: -sum(a * b for a, b in zip(uq, ud[i])))
    truth.append(["v%d" % i for i in sims[:10]])
for b in range(4):
    items = [{"id": "v%d" % i, "vector": data[i], "metadata": {"n": i}} for i in range(b * 500, (b + 1) * 500)]
    json.dump({"items": items}, open("%s/add%d.json" % (d, b), "w"))
json.dump(queries, open(d + "/queries.json", "w")); json.dump(truth, open(d + "/truth.json", "w"))
PY
added=0
for b in 0 1 2 3; do
  n=$(curl -s -X POST "$V/index/$IDX/add" "${J[@]}" --data-binary @"$TMP/add$b.json" | json_field added)
  added=$((added + ${n:-0}))
done
check "2000 vectors added in 4 batches" 2000 "$added"
check "count is 2000" 2000 "$(curl -s "$V/index/$IDX" | json_field count)"

recall=$(python3 - "$TMP" "$V/index/$IDX/search" <<'PY'
import json, sys, urllib.request
d, url = sys.argv[1], sys.argv[2]
queries = json.load(open(d + "/queries.json")); truth = json.load(open(d + "/truth.json"))
found = 0
for q, t in zip(queries, truth):
    req = urllib.request.Request(url, json.dumps({"vector": q, "k": 10, "ef": 100}).encode(), {"Content-Type": "application/json"})
    hits = json.load(urllib.request.urlopen(req))["hits"]
    found += len(set(h["id"] for h in hits) & set(t))
print("%.3f" % (found / (10.0 * len(queries))))
PY
)
echo "recall@10 (ef=100) vs exact brute force: $recall"
check "recall@10 >= 0.95 on the known set" 1 "$(python3 -c "print(1 if float('$recall') >= 0.95 else 0)")"

body=$(curl -s -X POST "$V/index/$IDX/search" "${J[@]}" -d "$(python3 -c "import json;print(json.dumps({'vector':json.load(open('$TMP/add0.json'))['items'][42]['vector'],'k':3}))")")
check "a stored vector finds itself first" v42 "$(json_field hits.0.id <<<"$body")"
check "hit carries its metadata" 42 "$(json_field hits.0.metadata.n <<<"$body")"

bad=$(curl -s -w '\n%{http_code}' -X POST "$V/index/$IDX/add" "${J[@]}" -d '{"items":[{"id":"fine","vector":'"$(python3 -c 'print([0.1]*32)')"'},{"id":"short","vector":[1,2,3]}]}')
check "dim mismatch -> 400" 400 "$(tail -1 <<<"$bad")"
check_contains "error names the item" "short" "$(head -1 <<<"$bad")"
check "nothing of the bad batch was added" 2000 "$(curl -s "$V/index/$IDX" | json_field count)"
check "search with the wrong dim -> 400" 400 "$(http_code POST "$V/index/$IDX/search" "${J[@]}" -d '{"vector":[1,2,3]}')"

check "delete an item -> 204" 204 "$(http_code DELETE "$V/index/$IDX/items/v42")"
check "count is 1999" 1999 "$(curl -s "$V/index/$IDX" | json_field count)"
check_contains "index listed" "\"$IDX\"" "$(curl -s "$V/index")"
check "delete the index -> 204" 204 "$(http_code DELETE "$V/index/$IDX")"
check "gone -> 404" 404 "$(http_code GET "$V/index/$IDX")"
finish
