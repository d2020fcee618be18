#!/usr/bin/env bash
# R1: bad-input sweep. Every route x (malformed JSON, wrong types, huge numbers, empty body, oversized
# header, path traversal, invalid UTF-8) -> 4xx with a JSON error, never 5xx, never a stack trace.
source "$(dirname "$0")/lib.sh"
exec bash "$ROOT/scripts/systest.sh" sweep
