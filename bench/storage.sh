#!/usr/bin/env bash
# `just bench storage [--size-mib N] [--rounds N]`: 1 GiB PUT and GET through gateway -> storaged -> S3
# vs the AWS SDK straight to the same S3 server, same run; prints MiB/s, ratios and storaged's peak heap.
# Uses the fleet of this checkout (LAKEHOUSE_PORT_OFFSET respected): starts devs3, storaged and gateway
# with scripts/fleet.sh if they are not running (storaged restarted at its fleet default -Xmx512m with a 5 GiB
# general PUT cap), and leaves them up.
source "$(dirname "$0")/../scripts/lib.sh"
FLEET="$ROOT/scripts/fleet.sh"
export LAKEHOUSE_SECRETS_FILE="${LAKEHOUSE_SECRETS_FILE:-$RUN_DIR/secrets.toml}"
jar="$ROOT/bench/target/bench-0.1.0-SNAPSHOT.jar"
if [ ! -f "$jar" ] || [ ! -f "$ROOT/storaged/target/storaged.jar" ] || [ ! -f "$ROOT/gateway/target/gateway.jar" ]; then
  (cd "$ROOT" && mvn -q -B -DskipTests package -pl bench,storaged,gateway,devs3 -am)
fi
# reserved prefixes (_vectors/ with its 4 GiB cap among them) are read-only through the gateway (ADR 0017): the
# bench writes under bench/ and runs storaged with a general cap that fits its object
export LAKEHOUSE_STORAGED_MAX_PUT_BYTES="${LAKEHOUSE_STORAGED_MAX_PUT_BYTES:-$((5 * 1024 * 1024 * 1024))}"
for s in devs3 gateway; do "$FLEET" start "$s" >/dev/null; done
"$FLEET" restart storaged >/dev/null
# the bench needs only common and its libraries: storaged's runnable-jar lib/ holds exactly those
cp="$jar:$ROOT/storaged/target/lib/*"
exec java -Xmx256m -cp "$cp" dev.lakehouse.bench.storage.StorageBench \
  --gateway "$GATEWAY" --storaged "http://127.0.0.1:$(port_of storaged)" --secrets "$LAKEHOUSE_SECRETS_FILE" "$@"
