#!/usr/bin/env bash
# `just bench ingest [ROWS] [RUNS]`: CSV -> Parquet through the gateway vs DuckDB's own COPY on the same file,
# plain and gzip'd; then GROUP BY on 200 small appends before/after compaction vs one file.
# Uses the running fleet (LAKEHOUSE_PORT_OFFSET respected); starts one (and stops it afterwards) if none is up.
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"
rc=0
# the fleet's pids (run dir) give the ingest's CPU time, beside the reference's
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:-} -Dbench.run_dir=$RUN_DIR" bench_run dev.lakehouse.bench.ingest.IngestBench "${1:-1000000}" "${2:-3}" || rc=$?
# the bench dataset is scratch: drop it (and its Parquet files) again
for ds in bench_ingest bench_compact_many bench_compact_one; do
  curl -s -o /dev/null -X DELETE "$GATEWAY/v1/catalog/datasets/$ds" || true
done
bench_done
exit $rc
