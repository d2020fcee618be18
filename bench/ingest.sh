#!/usr/bin/env bash
# `just bench ingest [ROWS] [RUNS]`: CSV -> Parquet through the gateway vs DuckDB's own COPY on the same file.
# Uses the running fleet (LAKEHOUSE_PORT_OFFSET respected); starts one (and stops it afterwards) if none is up.
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
mvn -q -B -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime >/dev/null
CP="$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/bench.classpath")"
started=0
if [ "$(http_code GET "$GATEWAY/v1/health")" != 200 ]; then
  "$ROOT/scripts/fleet.sh" up
  started=1
fi
WORK="${LAKEHOUSE_BENCH_DIR:-$ROOT/data/bench}"
rc=0
java -Xmx1g -cp "$CP" dev.lakehouse.bench.ingest.IngestBench "$GATEWAY" "$WORK" "${1:-1000000}" "${2:-3}" || rc=$?
# the bench dataset is scratch: drop it (and its Parquet files) again
curl -s -o /dev/null -X DELETE "$GATEWAY/v1/catalog/datasets/bench_ingest" || true
[ "$started" = 1 ] && "$ROOT/scripts/fleet.sh" down
exit $rc
