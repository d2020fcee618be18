#!/usr/bin/env bash
# `just verify`: every test (mvn package runs them and builds the jars), then every smoke in scripts/
# against a fresh fleet with its own data dir (run/verify-data), so a dev's ./data is never touched.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
t0=$SECONDS

echo "== tests: mvn package"
mvn -B -ntp ${MVN_ARGS:-} package

echo "== smokes"
export LAKEHOUSE_DATA_DIR="$RUN_DIR/verify-data"
"$ROOT/scripts/fleet.sh" down >/dev/null
rm -rf "$LAKEHOUSE_DATA_DIR" "$RUN_DIR"/*.log
"$ROOT/scripts/fleet.sh" up
trap '"$ROOT/scripts/fleet.sh" down >/dev/null' EXIT

passed=0; failed=0; failed_names=()
for smoke in $(ls "$ROOT"/scripts/*_smoke.sh | sort -V); do
  name=$(basename "$smoke" _smoke.sh)
  echo "-- smoke $name"
  s0=$SECONDS
  if bash "$smoke"; then
    passed=$((passed + 1)); echo "-- smoke $name ok ($((SECONDS - s0)) s)"
  else
    failed=$((failed + 1)); failed_names+=("$name"); echo "-- smoke $name FAILED ($((SECONDS - s0)) s)"
  fi
done
echo "-- attack (scripts/systest.sh attack)"
s0=$SECONDS
if "$ROOT/scripts/systest.sh" attack; then
  passed=$((passed + 1)); echo "-- attack ok ($((SECONDS - s0)) s)"
else
  failed=$((failed + 1)); failed_names+=("attack"); echo "-- attack FAILED ($((SECONDS - s0)) s)"
fi
echo "verify wall time: $((SECONDS - t0)) s${failed_names:+; failed: ${failed_names[*]}}"
echo "smokes: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
