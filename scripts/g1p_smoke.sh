#!/usr/bin/env bash
# G1P: vectord state survives kill -9 + restart via storaged (LHV1 snapshots, one PUT each, plus the WAL:
# every acknowledged add is durable before its 200, without ?save=true).
source "$(dirname "$0")/lib.sh"
FLEET="$ROOT/scripts/fleet.sh"
V="$GATEWAY/v1/vectors"
IDX="g1p_$$"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
J=(-H 'Content-Type: application/json')
# GET through the gateway, once more on a 502: the gateway does not retry a pooled upstream connection the
# backend already closed (idle timeout, or the killed vectord), reported to the lead; this smoke tests vectord
gget() { local out; out=$(curl -s -w '\n%{http_code}' "$@"); [ "$(tail -1 <<<"$out")" = 502 ] && out=$(curl -s -w '\n%{http_code}' "$@"); sed '$d' <<<"$out"; }
# after a restart, wait until vectord answers through the gateway
wait_mount() { for _ in $(seq 50); do [ "$(http_code GET "$V/health")" = 200 ] && return 0; sleep 0.2; done; return 1; }

check "create index -> 201" 201 "$(http_code POST "$V/index" "${J[@]}" -d "{\"name\":\"$IDX\",\"dim\":16,\"distance\":\"l2\"}")"
python3 - "$TMP" <<'PY'
import json, random, sys
d = sys.argv[1]; random.seed(11)
vs = [[random.uniform(-1, 1) for _ in range(16)] for _ in range(600)]
json.dump({"items": [{"id": "p%d" % i, "vector": vs[i], "metadata": {"i": i}} for i in range(500)]}, open(d + "/a.json", "w"))
json.dump({"items": [{"id": "p%d" % i, "vector": vs[i]} for i in range(500, 600)]}, open(d + "/b.json", "w"))
for i, q in enumerate([vs[3], vs[99], vs[250], [0.0] * 16, vs[555]]):
    json.dump({"vector": q, "k": 5}, open("%s/q%d.json" % (d, i), "w"))
PY
check "500 added" 500 "$(curl -s -X POST "$V/index/$IDX/add" "${J[@]}" --data-binary @"$TMP/a.json" | json_field added)"
saved=$(curl -s -X POST "$V/index/$IDX/save")
check "explicit save -> not dirty" False "$(json_field dirty <<<"$saved")"
echo "LHV1 object: $(json_field last_save_bytes <<<"$saved") bytes"
check "one LHV1 object in storage" "_vectors/$IDX.lhv1" "$(gget "$GATEWAY/v1/storage/objects?prefix=_vectors/$IDX." | json_field objects.0.key)"
check "stored object starts with LHV1" LHV1 "$(gget -r 0-3 "$GATEWAY/v1/storage/objects/_vectors/$IDX.lhv1")"
hits() { for i in 0 1 2; do curl -s -X POST "$V/index/$IDX/search" "${J[@]}" --data-binary @"$TMP/q$i.json"; echo; done; }
before=$(hits)

"$FLEET" kill vectord
check "vectord is down after kill -9" 502 "$(http_code GET "$V/index/$IDX")"
"$FLEET" start vectord >/dev/null
wait_mount
check "index back after restart" 500 "$(curl -s "$V/index/$IDX" | json_field count)"
check "same hits after kill -9 + restart" "$before" "$(hits)"

# adds without an explicit save: in the WAL before the 200, not yet in a snapshot
check "100 more added" 100 "$(curl -s -X POST "$V/index/$IDX/add" "${J[@]}" --data-binary @"$TMP/b.json" | json_field added)"
check "not yet in a snapshot (dirty)" True "$(curl -s "$V/index/$IDX" | json_field dirty)"
check_contains "the add is a WAL record in storage" "_vectors/_wal/$IDX/" "$(gget "$GATEWAY/v1/storage/objects?prefix=_vectors/_wal/$IDX/")"
q4=$(curl -s -X POST "$V/index/$IDX/search" "${J[@]}" --data-binary @"$TMP/q4.json")
"$FLEET" kill vectord
"$FLEET" start vectord >/dev/null
wait_mount
check "600 after second kill -9" 600 "$(curl -s "$V/index/$IDX" | json_field count)"
check "the WAL record was replayed" 1 "$(curl -s "$V/index/$IDX" | json_field replayed_records)"
check "p555 finds itself after restart" p555 "$(curl -s -X POST "$V/index/$IDX/search" "${J[@]}" --data-binary @"$TMP/q4.json" | json_field hits.0.id)"
check "same hits for a late-added vector" "$q4" "$(curl -s -X POST "$V/index/$IDX/search" "${J[@]}" --data-binary @"$TMP/q4.json")"
check_contains "vectord health lists no failed index" '"failed_indexes":{}' "$(curl -s "$GATEWAY/v1/vectors/health")"
check "cleanup" 204 "$(http_code DELETE "$V/index/$IDX")"
finish
