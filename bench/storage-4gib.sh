#!/usr/bin/env bash
# `just bench storage-4gib`: the manual heavy check that a 4 GiB PUT streams through
# gateway -> storaged (-Xmx512m, the fleet default) -> S3, both with a declared length (one streamed
# PutObject) and chunked (multipart, 8 MiB parts), and comes back byte-identical. Restarts storaged first
# so the peak heap it prints belongs to this run. Needs ~16 GiB free disk for the dev S3 data. Minutes long.
source "$(dirname "$0")/../scripts/lib.sh"
FLEET="$ROOT/scripts/fleet.sh"
SIZE=$((4 * 1024 * 1024 * 1024))
S="$GATEWAY/v1/storage"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
for s in devs3 gateway; do "$FLEET" start "$s" >/dev/null; done
# _vectors/ is read-only through the gateway (ADR 0017): write under bench/ with a general cap that fits
LAKEHOUSE_STORAGED_MAX_PUT_BYTES=$((5 * 1024 * 1024 * 1024)) "$FLEET" restart storaged >/dev/null
echo "storaged JVM: $(ps -o args= -p "$(pid_of storaged)" | grep -o -- '-Xmx[^ ]*')"
# random 64 MiB block repeated: incompressible, and cheap to regenerate for the checksum
head -c $((64 * 1024 * 1024)) /dev/urandom >"$TMP/block"
gen() { for _ in $(seq 64); do cat "$TMP/block"; done; }
gen >"$TMP/big"   # a real file: curl streams a file, but would slurp --data-binary @- into memory
want=$(sha256sum <"$TMP/big" | cut -d' ' -f1)
key="bench/heavy-$$"
for mode in declared chunked; do
  t0=$(date +%s.%N)
  if [ $mode = declared ]; then
    code=$(curl -s -o "$TMP/out" -w '%{http_code}' -T "$TMP/big" "$S/objects/$key-$mode")
  else
    code=$(curl -s -o "$TMP/out" -w '%{http_code}' -T - "$S/objects/$key-$mode" <"$TMP/big")
  fi
  t1=$(date +%s.%N)
  got=$(curl -s "$S/objects/$key-$mode" | sha256sum | cut -d' ' -f1)
  t2=$(date +%s.%N)
  size=$(json_field size <"$TMP/out" 2>/dev/null || true)
  python3 -c "import sys; print(f'4 GiB {sys.argv[1]:8s} PUT -> {sys.argv[2]} size {sys.argv[3]}, {4096/(float(sys.argv[5])-float(sys.argv[4])):.0f} MiB/s; GET {4096/(float(sys.argv[6])-float(sys.argv[5])):.0f} MiB/s; sha256 match: {sys.argv[7]==sys.argv[8]}')" \
    "$mode" "$code" "$size" "$t0" "$t1" "$t2" "$want" "$got"
  http_code DELETE "$S/objects/$key-$mode" >/dev/null
done
heap=$(curl -s "http://127.0.0.1:$(port_of storaged)/health")
echo "storaged heap after both: peak $(( $(json_field heap.peak <<<"$heap") / 1048576 )) MiB of max $(( $(json_field heap.max <<<"$heap") / 1048576 )) MiB"
