# Shared by bench/*.sh: build the bench classes, make sure a fleet is up, run one bench main class.
# Source it after scripts/lib.sh; then `bench_run MAIN_CLASS ARGS...` (the gateway URL and work dir come first).
# BENCH_JAVA_OPTS adds JVM flags, e.g. BENCH_JAVA_OPTS=-Dbench.fleet_warmup_min=5000 for bench query, or
# -Dbench.warmup=2 -Dbench.compact=false for bench ingest (warm-up pairs; the plain and gzip comparisons only).
bench_run() {
  local main="$1"; shift
  (cd "$ROOT" && mvn -q -B -DskipTests -pl bench -am package dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime >/dev/null)
  local cp="$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/bench.classpath")"
  BENCH_STARTED_FLEET=0
  if [ "$(http_code GET "$GATEWAY/v1/health")" != 200 ]; then
    "$ROOT/scripts/fleet.sh" up
    BENCH_STARTED_FLEET=1
  fi
  local work="${LAKEHOUSE_BENCH_DIR:-$ROOT/data/bench}" rc=0
  java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$cp" "$main" "$GATEWAY" "$work" "$@" || rc=$?
  return $rc
}

# stops the fleet again if bench_run started it
bench_done() {
  [ "${BENCH_STARTED_FLEET:-0}" = 1 ] && "$ROOT/scripts/fleet.sh" down
  return 0
}

# the fortunes corpus (Debian package) that bench embed and bench vectors read; installs it when root
ensure_fortunes() {
  [ -d /usr/share/games/fortunes ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian package fortunes (the bench corpus)…"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q fortunes >/dev/null
  else
    echo "the bench needs Debian's fortunes corpus: sudo apt-get install -y fortunes" >&2; exit 2
  fi
}
