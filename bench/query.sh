#!/usr/bin/env bash
# `just bench query [ROWS] [RUNS] [EXPORT_ROWS] [EXPORT_RUNS]`: GROUP BY and filtered scan over a 1M-row dataset
# through the gateway vs DuckDB on the same local Parquet in the same run; then a whole 3M-row export as CSV and
# Arrow vs DuckDB's own, queryd's peak heap, and a burst of 64 clients x 20 GROUP BYs. Uses the running fleet
# (LAKEHOUSE_PORT_OFFSET respected); starts one (and stops it afterwards) if none is up. The export part runs
# BENCH_JAVA_OPTS=-Dbench.export_warmup=N untimed rounds first (2: a fresh fleet's JIT is not throughput).
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"
rc=0
export BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:-} --add-opens=java.base/java.nio=ALL-UNNAMED" # Arrow, as in queryd
bench_run dev.lakehouse.bench.query.QueryBench "${1:-1000000}" "${2:-101}" || rc=$?
# the bench dataset is scratch: drop it again
curl -s -o /dev/null -X DELETE "$GATEWAY/v1/catalog/datasets/bench_query" || true
started=$BENCH_STARTED_FLEET
# CPU seconds per export are read from /proc for these two; queryd is also called directly, signed as the fleet
BENCH_JAVA_OPTS="$BENCH_JAVA_OPTS -Dbench.queryd_pid=$(pid_of queryd) -Dbench.gateway_pid=$(pid_of gateway)"
BENCH_JAVA_OPTS="$BENCH_JAVA_OPTS -Dbench.secrets=${LAKEHOUSE_SECRETS_FILE:-$RUN_DIR/secrets.toml}"
bench_run dev.lakehouse.bench.query.ExportBench "http://127.0.0.1:$(port_of queryd)" "${3:-3000000}" "${4:-3}" || rc=$?
curl -s -o /dev/null -X DELETE "$GATEWAY/v1/catalog/datasets/bench_export" || true
BENCH_STARTED_FLEET=$started
bench_done
exit $rc
