#!/usr/bin/env bash
# `just bench query [ROWS] [RUNS]`: GROUP BY and filtered scan over a 1M-row dataset through the gateway vs DuckDB
# on the same local Parquet in the same run. Uses the running fleet (LAKEHOUSE_PORT_OFFSET respected); starts one
# (and stops it afterwards) if none is up.
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"
rc=0
bench_run dev.lakehouse.bench.query.QueryBench "${1:-1000000}" "${2:-101}" || rc=$?
# the bench dataset is scratch: drop it again
curl -s -o /dev/null -X DELETE "$GATEWAY/v1/catalog/datasets/bench_query" || true
bench_done
exit $rc
