#!/usr/bin/env bash
# D2: storaged through the gateway. PUT/GET/HEAD/LIST/DELETE, Range, 404, bad keys, the 256 MiB cap
# (413 from the declared length, before any body), _vectors/ read-only through the gateway, and 5 parallel slow PUTs
# against 4 slots -> exactly one 503 with Retry-After.
source "$(dirname "$0")/lib.sh"
S="$GATEWAY/v1/storage"
RUN="smoke-d2-$$"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
header() { tr -d '\r' <"$1" | awk -F': ' -v h="$(echo "$2" | tr A-Z a-z)" 'tolower($1)==h{print $2}' | tail -1; }

# --- PUT / GET / HEAD
body=$(curl -s -X PUT --data-binary 'hello lakehouse' -w '\n%{http_code}' "$S/objects/$RUN/hello.txt")
check "PUT -> 201" 201 "$(tail -1 <<<"$body")"
put_json=$(head -1 <<<"$body")
check "PUT answers key" "$RUN/hello.txt" "$(json_field key <<<"$put_json")"
check "PUT answers size" 15 "$(json_field size <<<"$put_json")"
etag=$(json_field etag <<<"$put_json")
check "GET returns the bytes" "hello lakehouse" "$(curl -s -D "$TMP/h" "$S/objects/$RUN/hello.txt")"
check "GET carries the ETag" "\"$etag\"" "$(header "$TMP/h" ETag)"
check "HEAD -> 200" 200 "$(curl -s -o /dev/null -I -D "$TMP/h" -w '%{http_code}' "$S/objects/$RUN/hello.txt")"
check "HEAD Content-Length" 15 "$(header "$TMP/h" Content-Length)"

# --- Range
check "Range GET body" "lo l" "$(curl -s -H 'Range: bytes=3-6' -D "$TMP/h" "$S/objects/$RUN/hello.txt")"
check "Range GET -> 206" 206 "$(head -1 "$TMP/h" | awk '{print $2}')"
check "Content-Range" "bytes 3-6/15" "$(header "$TMP/h" Content-Range)"

# --- LIST with pagination
for i in 1 2 3; do curl -s -o /dev/null -X PUT --data-binary "v$i" "$S/objects/$RUN/list/item-$i"; done
page1=$(curl -s "$S/objects?prefix=$RUN/list/&limit=2")
check "LIST page 1 has 2 objects" 2 "$(json_field objects <<<"$page1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
cursor=$(json_field next_cursor <<<"$page1")
[ -n "$cursor" ] && pass "LIST page 1 has a next_cursor" || fail "LIST page 1 has a next_cursor"
page2=$(curl -s -G "$S/objects" --data-urlencode "prefix=$RUN/list/" --data-urlencode "limit=2" --data-urlencode "cursor=$cursor")
check "LIST page 2 is the last object" "$RUN/list/item-3" "$(json_field objects.0.key <<<"$page2")"
check "LIST last page has no cursor" "" "$(json_field next_cursor <<<"$page2")"
check "LIST entry size" 2 "$(json_field objects.0.size <<<"$page2")"
check_contains "LIST entry has last_modified" "last_modified" "$page2"
check "LIST limit=0 -> 400" 400 "$(http_code GET "$S/objects?limit=0")"

# --- DELETE, 404, bad keys
check "DELETE -> 204" 204 "$(http_code DELETE "$S/objects/$RUN/hello.txt")"
check "GET after DELETE -> 404" 404 "$(http_code GET "$S/objects/$RUN/hello.txt")"
check_contains "404 is a JSON error" '"status":404' "$(curl -s "$S/objects/$RUN/hello.txt")"
check "DELETE again -> 204 (idempotent)" 204 "$(http_code DELETE "$S/objects/$RUN/hello.txt")"
check "key with a .. segment -> 400" 400 "$(http_code PUT "$S/objects/$RUN/a/../b" --path-as-is --data-binary x)"
check "key with a control character -> 400" 400 "$(http_code PUT "$S/objects/$RUN/a%0Ab" --data-binary x)"
check "key over 1024 bytes -> 400" 400 "$(http_code PUT "$S/objects/$(printf 'k%.0s' $(seq 1025))" --data-binary x)"

# --- caps: 413 from the declared length alone (a tiny body follows a 256 MiB + 1 declaration)
code=$(curl -s -o "$TMP/b" -w '%{http_code}' -X PUT -H 'Content-Length: 268435457' --data-binary x --max-time 30 "$S/objects/$RUN/too-big.bin")
check "256 MiB + 1 declared -> 413" 413 "$code"
check_contains "413 is a JSON error" '"status":413' "$(cat "$TMP/b")"
curl -s -v -o /dev/null -X PUT -H 'Content-Length: 268435457' -H 'Expect: 100-continue' --data-binary x --max-time 30 \
  "$S/objects/$RUN/too-big2.bin" 2>"$TMP/v" || true
if grep -q '< HTTP/1.1 100' "$TMP/v"; then fail "413 came without a 100 Continue (the body was never asked for)"
else pass "413 came without a 100 Continue (the body was never asked for)"; fi
check "nothing stored for the refused PUTs" 0 "$(curl -s "$S/objects?prefix=$RUN/too-big" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["objects"]))')"

# a chunked body (no declared length) is counted as it streams: past 256 MiB -> 413, and nothing is left
code=$(head -c $((256 * 1024 * 1024 + 1)) /dev/zero | curl -s -o "$TMP/b" -w '%{http_code}' -T - "$S/objects/$RUN/too-big-chunked.bin")
check "chunked 256 MiB + 1 -> 413" 413 "$code"
check "nothing stored for the chunked overrun" 404 "$(http_code HEAD "$S/objects/$RUN/too-big-chunked.bin")"

# --- the 256 MiB + 1 body (sparse: real bytes on the wire, none on disk here) is refused elsewhere, and
# _vectors/ (4 GiB cap, vectord's) is read-only through the public API (ADR 0017): 403 before any body
truncate -s 268435457 "$TMP/big.bin"
code=$(curl -s -o "$TMP/b" -w '%{http_code}' -T "$TMP/big.bin" "$S/objects/$RUN/not-vectors.bin")
check "same 256 MiB + 1 body elsewhere -> 413" 413 "$code"
code=$(curl -s -o "$TMP/b" -w '%{http_code}' -T "$TMP/big.bin" "$S/objects/_vectors/$RUN.lhv1")
check "PUT under _vectors/ through the gateway -> 403" 403 "$code"
check "403 names the reserved prefix" "_vectors/" "$(json_field prefix <"$TMP/b")"

# --- 5 parallel slow PUTs against 4 slots -> exactly one 503, at once, with Retry-After
head -c $((2 * 1024 * 1024)) /dev/urandom >"$TMP/slow.bin"   # ~8 s each at 256 KiB/s
pids=()
for i in 1 2 3 4 5; do
  curl -s -o /dev/null -D "$TMP/slow-$i.h" -w '%{http_code}' --limit-rate 256k -T "$TMP/slow.bin" \
    "$S/objects/$RUN/slow-$i.bin" >"$TMP/slow-$i.code" &
  pids+=($!)
done
wait "${pids[@]}"
codes=$(for f in "$TMP"/slow-*.code; do cat "$f"; echo; done | sort | tr '\n' ' ')
check "5 parallel slow PUTs -> four 201 and one 503" "201 201 201 201 503 " "$codes"
for i in 1 2 3 4 5; do
  if [ "$(cat "$TMP/slow-$i.code")" = 503 ]; then check "the 503 carries Retry-After" 1 "$(header "$TMP/slow-$i.h" Retry-After)"; fi
done

# cleanup this run's objects
for k in $(curl -s "$S/objects?prefix=$RUN/" | python3 -c 'import json,sys; [print(o["key"]) for o in json.load(sys.stdin)["objects"]]'); do
  http_code DELETE "$S/objects/$k" >/dev/null
done
finish
