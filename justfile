# Lakehouse task runner. `just up` starts the fleet; `just verify` runs every test and smoke.

set shell := ["bash", "-uc"]

# list recipes
default:
    @just --list

# start embedded S3 + all seven services (logs and pids in ./run); returns when every /health is green
up:
    scripts/fleet.sh up

# stop the fleet (SIGTERM, graceful)
down:
    scripts/fleet.sh down

# which processes of the fleet are running
status:
    scripts/fleet.sh status

# every unit/integration test, then every smoke in scripts/ against a fresh fleet
verify:
    scripts/verify.sh

# one smoke against the running fleet, e.g. `just smoke d1`
smoke name:
    scripts/smoke.sh {{name}}

# check JDK, Maven, just, S3 and ports; `just doctor --json` for machines
doctor *args:
    scripts/doctor.sh {{args}}

# install a pre-push hook that runs `just verify`
install-hooks:
    printf '#!/usr/bin/env bash\nexec just verify\n' > .git/hooks/pre-push && chmod +x .git/hooks/pre-push && echo "pre-push hook installed"

# benchmarks (`just bench` lists them), e.g. `just bench storage`
bench *args:
    scripts/bench.sh {{args}}

# reliability: kill -9 each backend under mixed load, then check every acknowledged write (fleet must be up)
chaos *args:
    scripts/systest.sh chaos {{args}}

# vectord kill -9 proof: 4 clients add/delete without ?save=true, vectord kill -9'd 20 times, then storaged and S3; 0 lost, 0 resurrected (fleet must be up)
chaos-vectors *args:
    scripts/systest.sh vector-chaos {{args}}

# load: concurrent clients on GET and search through the gateway; throughput, p50/p99, heap/thread leak check
load *args:
    scripts/systest.sh load {{args}}

# issue 19's attacks, replayed against the running fleet (also run by `just verify` after the smokes)
attack:
    scripts/systest.sh attack

# bad-input sweep over every route (also run by `just verify` as smoke r1)
sweep:
    scripts/systest.sh sweep

# Apache Spark 4.1 (local mode, -Xmx2g) reads the datasets through the Iceberg REST catalog; its answers must equal queryd's (~2 min; not in verify, see docs/iceberg.md)
interop:
    mvn -B -q -Pinterop -pl interop -am test -Dtest='dev.lakehouse.interop.*Test' -Dsurefire.failIfNoSpecifiedTests=false

# build the runnable jars without running tests, then train their AppCDS archives when the fleet is stopped (ADR 0031)
build:
    mvn -B -q -DskipTests package
    scripts/fleet.sh cds || echo "build: jars built; AppCDS archives not trained (above) — \`just cds\` with the fleet stopped"

# (re)train the AppCDS archive per service (<svc>/target/<svc>.jsa) from one training start of a stopped fleet (ADR 0031)
cds:
    scripts/fleet.sh cds

# heavy vectord scale check (not in verify): N x DIM vectors with a kill -9 mid-build (acknowledged adds all there) → one LHV1 PUT → kill -9 → identical hits
scale-vectors *args:
    bench/scale-vectors.sh {{args}}
