#!/usr/bin/env bash
# `just bench vector-writes [dim=768] [snapshot_n=20000] [wal_records=10000] [rounds=2] [pause_clients=4] [only=recovery|pause]`: durable (WAL) add
# throughput at batch 1, 64 and 1,000 vs the same adds with vectord.wal=false, measured in the same run;
# snapshot time and the add pause at snapshot_n x dim (p50/p99/max add latency of pause_clients clients outside the
# snapshot, in its freeze and in its PUT; the issue-16 figure: `snapshot_n=100000 only=pause`); recovery time of that
# snapshot + wal_records records.
# Two vectord instances run in the bench JVM on the fleet's storaged (devs3 and storaged are started with
# scripts/fleet.sh if they are not running, and left up).
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
for s in devs3 storaged; do scripts/fleet.sh start "$s" >/dev/null; done
mvn -q -B -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime >/dev/null
cp="bench/target/classes:$(cat bench/target/bench.classpath)"
echo "note: figures on a shared machine are noisy; compare the ratios, measured in the same run."
java -Xmx4g --add-modules jdk.incubator.vector -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
  -cp "$cp" dev.lakehouse.bench.vectorwrites.VectorWritesBench storaged="http://127.0.0.1:$(port_of storaged)" \
  secrets="${LAKEHOUSE_SECRETS_FILE:-$RUN_DIR/secrets.toml}" "$@" 2>&1 \
  | grep --line-buffered -v "^WARNING: Using incubator" | grep --line-buffered -E "^(vector-writes|batch|built|snapshot|recovery|note)|Exception|rror"
