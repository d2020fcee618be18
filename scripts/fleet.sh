#!/usr/bin/env bash
# Fleet control: embedded S3 + the seven services as separate processes; logs and pids under ./run.
#   fleet.sh up | down | status | build | cds
#   fleet.sh start SVC | stop SVC | kill SVC (kill -9) | restart SVC
# Env: LAKEHOUSE_DATA_DIR (default ./data), LAKEHOUSE_RUN_DIR (./run), LAKEHOUSE_PORT_OFFSET,
#      LAKEHOUSE_<SVC>_JAVA_OPTS to override a service's JVM flags.
source "$(dirname "$0")/lib.sh"

export LAKEHOUSE_DATA_DIR="${LAKEHOUSE_DATA_DIR:-$ROOT/data}"
export LAKEHOUSE_SECRETS_FILE="${LAKEHOUSE_SECRETS_FILE:-$RUN_DIR/secrets.toml}"
export LAKEHOUSE_PORT_OFFSET="$OFFSET"
mkdir -p "$RUN_DIR" "$LAKEHOUSE_DATA_DIR"

jar_of() { echo "$ROOT/$1/target/$1.jar"; }
jsa_of() { echo "$ROOT/$1/target/$1.jsa"; } # its AppCDS archive (ADR 0031), next to the jar as in /opt/lakehouse/<svc>/

java_opts() { # the service's line of deploy/jvm.env (shared with the systemd units) unless the env overrides it
  local var="LAKEHOUSE_$(echo "$1" | tr a-z A-Z)_JAVA_OPTS" dflt
  dflt="$(sed -n "s/^$var=\"\(.*\)\"\$/\1/p" "$ROOT/deploy/jvm.env")"
  [ -n "$dflt" ] || { echo "deploy/jvm.env has no $var" >&2; return 1; }
  # jvm.env names files of the installed layout (/opt/lakehouse/<svc>/…); here they are in <svc>/target/
  dflt="${dflt//\/opt\/lakehouse\/$1\//$ROOT/$1/target/}"
  without_unusable_archive "$1" "${!var:-$dflt}"
}

without_unusable_archive() { # SVC OPTS: an archive that is missing or older than the jar (a rebuild) would be
  # ignored by -Xshare:auto, and with it the JDK's own default CDS archive; then leave the flag out instead
  local jsa; jsa="$(sed -nE 's/.*-XX:SharedArchiveFile=([^ ]+).*/\1/p' <<<"$2")"
  if [ -n "$jsa" ] && { [ ! -s "$jsa" ] || [ "$jsa" -ot "$(jar_of "$1")" ]; }; then
    sed -E 's/ ?-XX:SharedArchiveFile=[^ ]+//' <<<"$2"
  else
    echo "$2"
  fi
}

cds() { # AppCDS archives (ADR 0031): one training start of the fleet, a few requests, SIGTERM (dumps at exit)
  local s var
  for s in devs3 "${SERVICES[@]}"; do
    if is_running "$s"; then echo "cds: $s is running; archives are trained on a stopped fleet" >&2; return 1; fi
  done
  echo "training AppCDS archives (one start of the fleet)…"
  for s in "${SERVICES[@]}"; do
    var="LAKEHOUSE_$(echo "$s" | tr a-z A-Z)_JAVA_OPTS"
    rm -f "$(jsa_of "$s")"
    # the flags it runs with, minus the archive it is about to write; -Xlog:cds=error hides the dump's skip list
    export "$var=$(java_opts "$s" | sed -E 's/ ?-XX:SharedArchiveFile=[^ ]+//') -XX:ArchiveClassesAtExit=$(jsa_of "$s") -Xlog:cds=error"
  done
  start devs3; await devs3
  for s in "${SERVICES[@]}"; do start "$s"; done
  for s in "${SERVICES[@]}"; do await "$s"; done
  for _ in $(seq 20); do curl -s -o /dev/null "$GATEWAY/v1/health"; done
  for s in gateway "${BACKENDS[@]}" devs3; do stop "$s"; done
  for s in "${SERVICES[@]}"; do [ -s "$(jsa_of "$s")" ] || { echo "cds: no archive for $s" >&2; return 1; }; done
  local files=(); for s in "${SERVICES[@]}"; do files+=("$(jsa_of "$s")"); done
  echo "AppCDS archives: $(du -shc "${files[@]}" | tail -1 | cut -f1) in <svc>/target/<svc>.jsa"
}

build() { # (re)build when a jar is missing or any source/pom is newer than the oldest jar
  local stale=0 oldest=""
  for s in devs3 "${SERVICES[@]}"; do
    local j; j="$(jar_of "$s")"
    if [ ! -f "$j" ]; then stale=1; break; fi
    if [ -z "$oldest" ] || [ "$j" -ot "$oldest" ]; then oldest="$j"; fi
  done
  if [ "$stale" = 0 ] && [ -n "$(find "$ROOT" -path "$ROOT/run" -prune -o -path "$ROOT/data" -prune -o \
        \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$oldest" -print -quit)" ]; then
    stale=1
  fi
  if [ "$stale" = 1 ] || [ "${LAKEHOUSE_REBUILD:-0}" = 1 ]; then
    echo "building jars (mvn -DskipTests package)…"
    (cd "$ROOT" && mvn -q -B -DskipTests package)
  fi
}

start() {
  local svc="$1" args=()
  if is_running "$svc"; then echo "$svc already running (pid $(pid_of "$svc"))"; return 0; fi
  [ "$svc" = devs3 ] && args=(--write-secrets "$LAKEHOUSE_SECRETS_FILE")
  # shellcheck disable=SC2046
  nohup java $(java_opts "$svc") -jar "$(jar_of "$svc")" "${args[@]}" >>"$RUN_DIR/$svc.log" 2>&1 &
  echo $! >"$RUN_DIR/$svc.pid"
}

stop() { # graceful: SIGTERM, then wait up to 30 s
  local svc="$1" p
  p="$(pid_of "$svc")"
  if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
    kill "$p"
    for _ in $(seq 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$p" 2>/dev/null && { echo "$svc did not stop in 30 s; killing"; kill -9 "$p"; }
  fi
  rm -f "$RUN_DIR/$svc.pid"
}

kill9() {
  local svc="$1" p
  p="$(pid_of "$svc")"
  if [ -n "$p" ]; then kill -9 "$p" 2>/dev/null || true; while kill -0 "$p" 2>/dev/null; do sleep 0.05; done; fi
  rm -f "$RUN_DIR/$svc.pid"
}

await() {
  local svc="$1"
  if [ "$svc" = devs3 ]; then
    wait_http "http://127.0.0.1:$(port_of devs3)/" 30 || { echo "devs3 failed to start; see $RUN_DIR/devs3.log"; tail -20 "$RUN_DIR/devs3.log"; exit 1; }
    while [ ! -s "$LAKEHOUSE_SECRETS_FILE" ]; do sleep 0.1; done
  else
    wait_healthy "$svc" 120 || { echo "$svc failed to become healthy; see $RUN_DIR/$svc.log"; tail -30 "$RUN_DIR/$svc.log"; exit 1; }
  fi
}

case "${1:-}" in
  build) LAKEHOUSE_REBUILD=1 build ;;
  cds) ( cds ) ;;
  up)
    build
    start devs3; await devs3
    for s in "${SERVICES[@]}"; do start "$s"; done
    for s in "${SERVICES[@]}"; do await "$s"; done
    code=$(http_code GET "$GATEWAY/v1/health")
    echo "fleet up: 8 processes, gateway $GATEWAY/v1/health -> $code (logs in $RUN_DIR)"
    [ "$code" = 200 ] ;;
  down)
    for s in gateway "${BACKENDS[@]}" devs3; do stop "$s"; done
    echo "fleet down" ;;
  status)
    for s in devs3 "${SERVICES[@]}"; do
      if is_running "$s"; then echo "$s up (pid $(pid_of "$s"), port $(port_of "$s"))"; else echo "$s down"; fi
    done ;;
  start) start "$2"; await "$2" ;;
  stop) stop "$2" ;;
  kill) kill9 "$2" ;;
  restart) stop "$2"; start "$2"; await "$2" ;;
  *) echo "usage: $0 up|down|status|build|cds|start SVC|stop SVC|kill SVC|restart SVC" >&2; exit 2 ;;
esac
