#!/usr/bin/env bash
# `just bench vectors [m=16] [efc=200] [threads=2] [efs=10,20,40,80,160,320] [synthetic=N] [cpp=FILE]`: vectord's HNSW
# engine on real embeddings (Debian fortunes, all-MiniLM-L6-v2-q, cached under run/bench-vectors/) —
# build vectors/s, then recall@10 and QPS at several ef against exact brute force measured in the same run.
# Runs in-process (no fleet needed), once with the Vector API kernels and, for the build rate, once scalar
# (skip that second pass with scalar=false). cpp=FILE: figures of the C++ nmslib/hnswlib measured beside the
# project on the same cached vectors and split (format in CppReference.java); prints the ratios against it.
# An int8 index (ADR 0034) is measured after the float one (int8=false skips it); skip_fortunes heap=N
# [heap_dim=768]: heap after loading N random vectors into a float and an int8 index, vs the raw float bytes.
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_fortunes

echo "building vectord and bench…"
mvn -q -B -DskipTests -pl vectord,bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >/dev/null

data="${LAKEHOUSE_DATA_DIR:-$ROOT/data}"
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
jvm=(-Xmx3g -XX:+UseTransparentHugePages -XX:+ExitOnOutOfMemoryError -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener)
echo "note: figures on a shared machine are noisy; compare the ratios, measured in the same run."
echo "== Vector API kernels (--add-modules jdk.incubator.vector, as vectord runs in the fleet)"
java "${jvm[@]}" --add-modules jdk.incubator.vector -cp "$cp" dev.lakehouse.bench.vectors.VectorsBench \
  data_dir="$data" cache="$RUN_DIR/bench-vectors/fortunes-minilm-l6-v2-q.f32" "$@" 2>&1 | grep --line-buffered -v "^WARNING: Using incubator"
[[ " $* " == *" scalar=false "* ]] && exit 0
echo "== scalar kernels (same engine without the Vector API), build rate and QPS for comparison"
java "${jvm[@]}" -Dvectord.scalar=true -cp "$cp" dev.lakehouse.bench.vectors.VectorsBench \
  data_dir="$data" cache="$RUN_DIR/bench-vectors/fortunes-minilm-l6-v2-q.f32" efs=40,80 lucene=false "$@"
