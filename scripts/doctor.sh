#!/usr/bin/env bash
# `just doctor [--json]`: checks what a fresh machine needs and says the fix for each miss.
source "$(dirname "$0")/lib.sh"
json=0; [ "${1:-}" = "--json" ] && json=1
results=()
add() { # name ok(0/1) detail fix
  results+=("$1|$2|$3|$4")
}

if command -v java >/dev/null; then
  v=$(java -version 2>&1 | head -1 | sed -E 's/.*version "([0-9]+).*/\1/')
  if [ "${v:-0}" -ge 17 ] 2>/dev/null; then add jdk 1 "java $v" ""; else add jdk 0 "java $v" "install JDK 17+: apt-get install openjdk-17-jdk"; fi
else add jdk 0 "java not found" "apt-get install openjdk-17-jdk"; fi
if command -v mvn >/dev/null; then add maven 1 "$(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g')" ""; else add maven 0 "mvn not found" "apt-get install maven"; fi
if command -v just >/dev/null; then add just 1 "$(just --version)" ""; else add just 0 "just not found" "npm install -g rust-just"; fi
if command -v curl >/dev/null; then add curl 1 "$(curl --version | head -1 | cut -d' ' -f1-2)" ""; else add curl 0 "curl not found" "apt-get install curl"; fi
if command -v python3 >/dev/null; then add python3 1 "$(python3 --version)" ""; else add python3 0 "python3 not found (smokes parse JSON with it)" "apt-get install python3"; fi

s3port=$(port_of devs3)
if curl -s -o /dev/null "http://127.0.0.1:$s3port/"; then add s3 1 "S3 answering on 127.0.0.1:$s3port" ""
else add s3 0 "no S3 on 127.0.0.1:$s3port" "just up (starts the embedded S3), or point secrets_file at your S3"; fi

for s in devs3 "${SERVICES[@]}"; do
  p=$(port_of "$s")
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    if is_running "$s"; then add "port:$p" 1 "in use by our $s" ""; else add "port:$p" 0 "in use by another process" "free port $p or set LAKEHOUSE_PORT_OFFSET"; fi
  else add "port:$p" 1 "free" ""; fi
done

fails=0
if [ $json = 1 ]; then
  printf '{"checks":['
  sep=""
  for r in "${results[@]}"; do
    IFS='|' read -r n ok d f <<<"$r"
    [ "$ok" = 1 ] || fails=$((fails + 1))
    printf '%s{"name":"%s","ok":%s,"detail":"%s","fix":"%s"}' "$sep" "$n" "$([ "$ok" = 1 ] && echo true || echo false)" "${d//\"/\'}" "${f//\"/\'}"
    sep=","
  done
  printf '],"ok":%s}\n' "$([ $fails = 0 ] && echo true || echo false)"
else
  for r in "${results[@]}"; do
    IFS='|' read -r n ok d f <<<"$r"
    if [ "$ok" = 1 ]; then echo "ok    $n: $d"; else echo "MISS  $n: $d -> fix: $f"; fails=$((fails + 1)); fi
  done
fi
[ $fails = 0 ]
