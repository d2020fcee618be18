#!/usr/bin/env bash
# `just bench hybrid [candidates=2000] [queries=200] [ef=64] [skip_filtered] [buckets=1,10,20,50,100,200,500]`: issue 17's proof, in-process (no fleet).
# (1) nDCG@10 / recall@10 of dense, keyword and hybrid on the labelled staffing set scripts/staffing_eval.py
# generates (judging rule stated there); (2) filtered search on the fortunes embeddings (cached by
# `just bench vectors` under run/bench-vectors/) plus the staffing candidates, >= 50K real MiniLM vectors:
# recall@10 vs brute force over the matching items and QPS vs unfiltered QPS in the same run (thread CPU time,
# alternating query by query; the planned ratio in wall time too), at 0.1-50 %.
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_fortunes
cands=2000
rest=()
for a in "$@"; do case "$a" in candidates=*) cands="${a#candidates=}" ;; *) rest+=("$a") ;; esac; done
eval_dir="$RUN_DIR/bench-hybrid"
python3 scripts/staffing_eval.py "$eval_dir" candidates="$cands"

echo "building vectord and bench…"
mvn -q -B -DskipTests -pl vectord,bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >/dev/null

data="${LAKEHOUSE_DATA_DIR:-$ROOT/data}"
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
echo "note: figures on a shared machine are noisy; compare the ratios, measured in the same run."
java -Xmx3g -XX:+ExitOnOutOfMemoryError -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
  --add-modules jdk.incubator.vector -cp "$cp" dev.lakehouse.bench.hybrid.HybridBench \
  data_dir="$data" eval_dir="$eval_dir" cache="$RUN_DIR/bench-vectors/fortunes-minilm-l6-v2-q.f32" "${rest[@]}" 2>&1 \
  | grep --line-buffered -v "^WARNING: Using incubator"
