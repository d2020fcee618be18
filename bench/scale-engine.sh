#!/usr/bin/env bash
# `just bench scale-engine [n=500000] [dim=768] [m=16] [efc=200] [threads=2] [efs=40,80,160] [dump=FILE]` (heavy,
# not in `just verify`): vectord's engine alone, in one process, on `just scale-vectors`' synthetic vectors —
# build time with `threads` workers, heap after load ÷ raw floats, recall@10 and single-thread QPS per ef against
# the engine's exact scan on the C++ reference's held-out split (rows 0, 25000, …). dump=FILE writes the vectors
# in the C++ reference's cache format instead (big-endian int n, int dim, n·dim floats) and stops.
# -Xmx5g: 500K x 768 floats are 1.5 GB, the graph ~0.4 GB, the source rows are the index's own arrays.
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
echo "building vectord and bench…"
mvn -q -B -DskipTests -pl vectord,bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >/dev/null
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
echo "note: a shared 2-core machine; compare figures measured in the same run."
java -Xmx5g -XX:+UseTransparentHugePages -XX:+ExitOnOutOfMemoryError --add-modules jdk.incubator.vector \
  -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
  -cp "$cp" dev.lakehouse.bench.vectors.ScaleEngine "$@" 2>&1 | grep --line-buffered -v "^WARNING: Using incubator"
