#!/usr/bin/env bash
# I1 (issue 20): a retry is never a duplicate, a key is stored as sent, a 201 means stored.
source "$(dirname "$0")/lib.sh"
ds="i1_$(date +%s)"
csv=$'id,label\n1,a\n2,b\n'

# the same ingest twice with one Idempotency-Key: one version, the original answer, the rows once
first=$(curl -s -X POST -H 'Idempotency-Key: i1-ingest' --data-binary "$csv" "$GATEWAY/v1/ingest/$ds")
check "keyed ingest -> v1" 1 "$(json_field version <<<"$first")"
headers=$(curl -s -D - -o /tmp/i1_again.json -X POST -H 'Idempotency-Key: i1-ingest' --data-binary "$csv" "$GATEWAY/v1/ingest/$ds" | tr -d '\r')
check_contains "the retry is a replay" "Idempotent-Replayed: true" "$headers"
check "the retry answers the same version" 1 "$(json_field version </tmp/i1_again.json)"
check "the rows are there once" 2 "$(json_field rows <<<"$(curl -s "$GATEWAY/v1/catalog/datasets/$ds")")"
reused=$(curl -s -X POST -H 'Idempotency-Key: i1-ingest' --data-binary $'id,label\n3,c\n' "$GATEWAY/v1/ingest/$ds")
check "the key with another CSV -> 409 idempotency_key_reused" idempotency_key_reused "$(json_field code <<<"$reused")"

# a key ending in '/' is its own object, stored with every byte; '//' is refused up front, naming the rule
head -c 100000 /dev/urandom > /tmp/i1_body.bin
put=$(curl -s -X PUT --data-binary @/tmp/i1_body.bin "$GATEWAY/v1/storage/objects/i1/$ds/dir/")
check "PUT to a key ending in '/' reports the stored size" 100000 "$(json_field size <<<"$put")"
got=$(curl -s "$GATEWAY/v1/storage/objects/i1/$ds/dir/" | wc -c | tr -d ' ')
check "GET returns every byte" 100000 "$got"
list=$(curl -s "$GATEWAY/v1/storage/objects?prefix=i1/$ds/")
check "listed under its exact key" "i1/$ds/dir/" "$(json_field objects.0.key <<<"$list")"
bad=$(curl -s -X PUT --data-binary x "$GATEWAY/v1/storage/objects/i1/$ds/a//b")
check "a key with '//' -> 400 invalid_key" invalid_key "$(json_field code <<<"$bad")"
check_contains "the error names the rule" "empty segment" "$(json_field error <<<"$bad")"

# the janitor's lookup: a file no kept version references is catalogd's coded 404
miss=$(curl -s "$GATEWAY/v1/catalog/datasets/$ds/files?key=datasets/$ds/none.parquet")
check "file lookup: not referenced -> file_not_referenced" file_not_referenced "$(json_field code <<<"$miss")"
curl -s -X DELETE "$GATEWAY/v1/storage/objects/i1/$ds/dir/" >/dev/null
finish
