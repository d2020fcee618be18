#!/usr/bin/env bash
# `just smoke NAME`: one smoke (d1..d6, g1, g1p, g2) against the running fleet (starts it if needed).
source "$(dirname "$0")/lib.sh"
name="${1:?usage: just smoke NAME (e.g. d1)}"
f="$ROOT/scripts/${name}_smoke.sh"
[ -f "$f" ] || { echo "no smoke '$name'; have: $(ls "$ROOT"/scripts/*_smoke.sh | xargs -n1 basename | sed 's/_smoke.sh//' | tr '\n' ' ')"; exit 2; }
curl -s -o /dev/null "$GATEWAY/health" || "$ROOT/scripts/fleet.sh" up
exec bash "$f"
