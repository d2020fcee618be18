#!/usr/bin/env bash
# `just scale-vectors [n=500000] [dim=768] [m=16] [efc=200] [clients=2] [kill-at=n*2/5] [efs=40,64,80,160]` (heavy; not in `just verify`):
# N synthetic clustered vectors through the gateway, durable through the WAL; once kill-at adds are acknowledged
# vectord is kill -9'd with adds in flight and restarted (latest snapshot + WAL replay): every acknowledged add
# must be there (kill-at=0: no kill). Then ONE LHV1 PUT through storaged's 4 GiB _vectors/ cap → kill -9 vectord
# → restart (loads the file) → the same queries must give identical hits (recall = 1 against pre-restart).
# Prints build time (vs the 300 s goal), recovery time after each kill, save and load time, file size, vectord's
# peak heap and its heap after load (after a full GC) ÷ the raw float bytes, and recall@10 / QPS per ef against
# `"exact": true` searches timed by the same client over the same path (ADR 0051).
# Uses the fleet's ports (LAKEHOUSE_PORT_OFFSET); starts devs3, storaged, vectord and gateway if they are down.
# vectord gets LAKEHOUSE_VECTORD_JAVA_OPTS (default here: -Xmx6g) since 500K x 768 floats alone are 1.5 GB.
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
FLEET="$ROOT/scripts/fleet.sh"
export LAKEHOUSE_VECTORD_JAVA_OPTS="${LAKEHOUSE_VECTORD_JAVA_OPTS:--Xmx6g --add-modules jdk.incubator.vector -XX:+UseTransparentHugePages}"

n=500000; dim=768; kill_at=""
for a in "$@"; do case "$a" in n=*) n="${a#n=}" ;; dim=*) dim="${a#dim=}" ;; kill-at=*) kill_at="${a#kill-at=}" ;; esac; done
kill_at="${kill_at:-$(( n * 2 / 5 ))}"
name="scale_${n}_${dim}"

echo "building vectord, storaged, gateway, devs3 and bench…"
mvn -q -B -DskipTests -pl devs3,storaged,vectord,gateway,bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >/dev/null
cp="bench/target/classes:$(cat bench/target/classpath.txt)"

for s in devs3 storaged vectord gateway; do "$FLEET" start "$s" >/dev/null; done
echo "note: a shared 2-core machine; wall times below are noisy."
echo "== build, save (one PUT), record hits: $n x $dim"
java -Xmx3g -cp "$cp" dev.lakehouse.bench.vectors.ScaleVectors phase=build gateway="$GATEWAY" index="$name" \
  fleet="$FLEET" "$@" kill-at="$kill_at"

echo "== kill -9 vectord, restart, load"
"$FLEET" kill vectord
t0=$(date +%s%N)
"$FLEET" start vectord >/dev/null
t1=$(date +%s%N)
echo "restart until healthy (index loaded): $(( (t1 - t0) / 1000000 )) ms"
grep "loaded index $name " "$RUN_DIR/vectord.log" | tail -1 | sed 's/.* - /vectord: /'
size=$(curl -s "$GATEWAY/v1/storage/objects?prefix=_vectors/$name." | json_field objects.0.size)
echo "LHV1 object _vectors/$name.lhv1: $size bytes ($(( ${size:-0} / 1048576 )) MiB)"

jcmd "$(cat "$RUN_DIR/vectord.pid")" GC.run >/dev/null # so "used" below is what the loaded index holds
echo "== verify: same queries, same hits"
java -Xmx2g -cp "$cp" dev.lakehouse.bench.vectors.ScaleVectors phase=verify gateway="$GATEWAY" index="$name" "$@"
