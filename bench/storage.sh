#!/usr/bin/env bash
# `just bench storage [--size-mib N] [--rounds N]`: 1 GiB PUT and GET through gateway -> storaged -> S3
# vs the AWS SDK straight to the same S3 server, same run; prints MiB/s, ratios and storaged's peak heap.
# Uses the fleet of this checkout (LAKEHOUSE_PORT_OFFSET respected): starts devs3, storaged and gateway
# with scripts/fleet.sh if they are not running (storaged at its fleet default -Xmx512m), and leaves them up.
source "$(dirname "$0")/../scripts/lib.sh"
FLEET="$ROOT/scripts/fleet.sh"
export LAKEHOUSE_SECRETS_FILE="${LAKEHOUSE_SECRETS_FILE:-$RUN_DIR/secrets.toml}"
jar="$ROOT/bench/target/bench-0.1.0-SNAPSHOT.jar"
if [ ! -f "$jar" ] || [ ! -f "$ROOT/storaged/target/storaged.jar" ] || [ ! -f "$ROOT/gateway/target/gateway.jar" ]; then
  (cd "$ROOT" && mvn -q -B -DskipTests package -pl bench,storaged,gateway,devs3 -am)
fi
for s in devs3 storaged gateway; do "$FLEET" start "$s" >/dev/null; done
# the bench needs only common and its libraries: storaged's runnable-jar lib/ holds exactly those
cp="$jar:$ROOT/storaged/target/lib/*"
exec java -Xmx256m -cp "$cp" dev.lakehouse.bench.storage.StorageBench \
  --gateway "$GATEWAY" --storaged "http://127.0.0.1:$(port_of storaged)" --secrets "$LAKEHOUSE_SECRETS_FILE" "$@"
