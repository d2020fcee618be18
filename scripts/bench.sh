#!/usr/bin/env bash
# `just bench [NAME]`: benchmarks print figures and ratios against a reference measured in the same run.
source "$(dirname "$0")/lib.sh"
name="${1:-}"
avail=$(ls "$ROOT"/bench/*.sh 2>/dev/null | xargs -rn1 basename | sed 's/\.sh$//' | tr '\n' ' ')
if [ -z "$name" ]; then echo "benches: ${avail:-none yet}"; echo "usage: just bench NAME"; exit 0; fi
f="$ROOT/bench/$name.sh"
[ -f "$f" ] || { echo "no bench '$name'; have: $avail"; exit 2; }
shift
exec bash "$f" "$@"
