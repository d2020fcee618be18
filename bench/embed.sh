#!/usr/bin/env bash
# `just bench embed [single=N] [batched=N] [batch=B]`: embedding texts/s and p50/p99 per request through the
# gateway vs the same model + worker pool in-process, in the same run, on Debian's fortunes corpus.
# Uses a running fleet if the gateway answers; else starts embedd + gateway itself (and stops them after).
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_fortunes

echo "building embedd, gateway and bench…"
mvn -q -B -DskipTests -pl embedd,gateway,bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >/dev/null

started=()
if [ "$(http_code GET "$GATEWAY/v1/health")" = 000 ]; then
  for s in embedd gateway; do "$ROOT/scripts/fleet.sh" start "$s"; started+=("$s"); done
fi
cleanup() { for s in "${started[@]}"; do "$ROOT/scripts/fleet.sh" stop "$s"; done; }
trap cleanup EXIT
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$GATEWAY/v1/embed" -H 'Content-Type: application/json' -d '{"text":"warm up"}')
[ "$code" = 200 ] || { echo "POST $GATEWAY/v1/embed answered $code; is embedd up? (scripts/fleet.sh status)" >&2; exit 1; }

data="${LAKEHOUSE_DATA_DIR:-$ROOT/data}"
echo "note: figures on a shared machine are noisy; compare the ratios, measured in the same run."
java -Xmx1g -XX:+ExitOnOutOfMemoryError -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.lakehouse.bench.embed.EmbedBench "$GATEWAY" "$data" "$@"
