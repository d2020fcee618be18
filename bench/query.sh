#!/usr/bin/env bash
# `just bench query [ROWS] [RUNS]`: GROUP BY and filtered scan over a 1M-row dataset through the gateway vs DuckDB
# on the same local Parquet in the same run. Uses the running fleet (LAKEHOUSE_PORT_OFFSET respected); starts one
# (and stops it afterwards) if none is up.
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
java -Xmx1g -cp "$CP" dev.lakehouse.bench.query.QueryBench "$GATEWAY" "$WORK" "${1:-1000000}" "${2:-15}" || rc=$?
curl -s -o /dev/null -X DELETE "$GATEWAY/v1/catalog/datasets/bench_query" || true
[ "$started" = 1 ] && "$ROOT/scripts/fleet.sh" down
exit $rc
