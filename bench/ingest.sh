#!/usr/bin/env bash
# `just bench ingest [ROWS] [RUNS]`: CSV -> Parquet through the gateway vs DuckDB's own COPY on the same file.
# Uses the running fleet (LAKEHOUSE_PORT_OFFSET respected); starts one (and stops it afterwards) if none is up.
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"
rc=0
bench_run dev.lakehouse.bench.ingest.IngestBench "${1:-1000000}" "${2:-3}" || rc=$?
# the bench dataset is scratch: drop it (and its Parquet files) again
curl -s -o /dev/null -X DELETE "$GATEWAY/v1/catalog/datasets/bench_ingest" || true
bench_done
exit $rc
