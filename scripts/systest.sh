#!/usr/bin/env bash
# Runs one of the reliability programs (systest module) against the running fleet through the gateway.
#   systest.sh sweep | load [clients] [seconds] | chaos [secondsPerBackend] [workers] | attack | vector-chaos [kills] [clients]
source "$(dirname "$0")/lib.sh"
what="${1:?usage: systest.sh sweep|load|chaos|attack|vector-chaos [args]}"; shift
jar="$ROOT/systest/target/systest.jar"
[ -f "$jar" ] || (cd "$ROOT" && mvn -q -B -DskipTests package -pl systest -am)
case "$what" in
  sweep) main=dev.lakehouse.systest.BadInputSweep ;;
  load) main=dev.lakehouse.systest.LoadCheck ;;
  chaos) main=dev.lakehouse.systest.Chaos ;;
  attack) main=dev.lakehouse.systest.Attack ;;
  vector-chaos) main=dev.lakehouse.systest.VectorChaos ;;
  *) echo "unknown: $what" >&2; exit 2 ;;
esac
exec java -Dlakehouse.root="$ROOT" -cp "$jar" "$main" "$GATEWAY" "$@"
