#!/usr/bin/env bash
# `just bench warmstart [REQUESTS] [ROUNDS] [WARMUP]`: cold start of gateway + storaged, plain vs AppCDS archive vs
# a warm-up before ready, rounds alternating, medians and ratios vs plain (WarmStartBench). Needs the fleet's
# gateway and storaged ports free: run it with its own LAKEHOUSE_PORT_OFFSET, not against a running fleet.
source "$(dirname "$0")/../scripts/lib.sh"
export LAKEHOUSE_DATA_DIR="${LAKEHOUSE_DATA_DIR:-$ROOT/data}"
export LAKEHOUSE_SECRETS_FILE="${LAKEHOUSE_SECRETS_FILE:-$RUN_DIR/secrets.toml}"
export LAKEHOUSE_PORT_OFFSET="$OFFSET"
for s in gateway storaged; do
  if is_running "$s"; then echo "$s of this fleet is running; stop it or use another LAKEHOUSE_PORT_OFFSET" >&2; exit 2; fi
done
(cd "$ROOT" && mvn -q -B -DskipTests -pl bench,gateway,storaged -am package dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime >/dev/null)
started=0
if ! is_running devs3; then "$ROOT/scripts/fleet.sh" start devs3; started=1; fi
# the jvm.env flags without its own archive flags: the bench adds (or not) the archive it trains itself
opts() { sed -n "s/^LAKEHOUSE_$1_JAVA_OPTS=\"\(.*\)\"\$/\1/p" "$ROOT/deploy/jvm.env" | sed -E "s/ ?-XX:SharedArchiveFile=[^ ]+| ?-Xshare:[a-z]+//g"; }
rc=0
java -Xmx256m -cp "$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/bench.classpath")" \
  dev.lakehouse.bench.warmstart.WarmStartBench "$GATEWAY" "${LAKEHOUSE_BENCH_DIR:-$ROOT/data/bench}/warmstart" \
  --gateway-jar "$ROOT/gateway/target/gateway.jar" --storaged-jar "$ROOT/storaged/target/storaged.jar" \
  --gateway-opts "$(opts GATEWAY)" --storaged-opts "$(opts STORAGED)" \
  --storaged-url "http://127.0.0.1:$(port_of storaged)" --log-dir "$RUN_DIR" \
  --requests "${1:-12000}" --rounds "${2:-3}" --warmup "${3:-1000}" || rc=$?
[ "$started" = 1 ] && "$ROOT/scripts/fleet.sh" stop devs3
exit $rc
