#!/usr/bin/env bash
# X1 (runs after the other smokes): every service's /metrics, scraped on its own port as Prometheus would,
# is valid Prometheus text, counts the requests the smokes made by route template, and shows no secrets.
source "$(dirname "$0")/lib.sh"
for svc in gateway storaged catalogd ingestd queryd vectord embedd; do
  url="http://127.0.0.1:$(port_of "$svc")/metrics"
  text=$(curl -s "$url")
  check "$svc /metrics answers 200" 200 "$(http_code GET "$url")"
  verdict=$(python3 -c '
import re,sys
text=sys.stdin.read()
sample=re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$")
bad=[l for l in text.splitlines() if l and not l.startswith("#") and not sample.match(l)]
n=sum(float(l.rsplit(" ",1)[1]) for l in text.splitlines() if l.startswith("http_server_requests_seconds_count{") and "/metrics" not in l and "/health" not in l)
svc=sys.argv[1]
leak=any(s in text for s in ("secret_key","access_key","internal_token","/tmp/","Bearer"))
print("bad line: "+bad[0] if bad else "leak" if leak else "ok" if n > 0 else "no requests counted")' "$svc" <<<"$text")
  check "$svc /metrics is valid Prometheus text with requests counted" ok "$verdict"
done
check "gateway also serves /v1/metrics" 200 "$(http_code GET "$GATEWAY/v1/metrics")"
check "route templates, not raw paths" no "$(curl -s "http://127.0.0.1:$(port_of catalogd)/metrics" | grep -q 'route="/datasets/[a-z]' && echo yes || echo no)"
finish
