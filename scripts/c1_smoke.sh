#!/usr/bin/env bash
# C1: the web console is served by the gateway from its jar (docs/console.md): page routes answer index.html,
# assets come with their types and a same-origin-only CSP, unknown assets are JSON 404s. The browser drives it in
# consoletest (mvn); this checks the packaged jar of a running fleet.
source "$(dirname "$0")/lib.sh"

headers() { curl -s -o /dev/null -D - "$GATEWAY$1" | tr -d '\r'; }
header_of() { awk -F': ' -v h="$2" 'tolower($1)==h{print $2}' <<<"$1" | tail -1; }

check "GET / is 200" 200 "$(http_code GET "$GATEWAY/")"
check_contains "/ is the console's page" '<script type="module" src="/ui/assets/app.js">' "$(curl -s "$GATEWAY/")"
check "a deep link /ui/sql is 200" 200 "$(http_code GET "$GATEWAY/ui/sql")"
h=$(headers /ui/assets/app.js)
check_contains "app.js is JavaScript" "text/javascript" "$(header_of "$h" content-type)"
check_contains "CSP allows scripts from the gateway only" "script-src 'self'" "$(header_of "$h" content-security-policy)"
check_contains "console.css is CSS" "text/css" "$(header_of "$(headers /ui/assets/console.css)" content-type)"
for f in api dom grid datasets sql sqleditor chart vectors objects fleet; do
  check "asset $f.js is in the jar" 200 "$(http_code GET "$GATEWAY/ui/assets/$f.js")"
done
body=$(curl -s "$GATEWAY/ui/assets/nope.js")
check "an unknown asset is a JSON 404" 404 "$(json_field status <<<"$body")"
check "its code is route_not_found" route_not_found "$(json_field code <<<"$body")"

finish
