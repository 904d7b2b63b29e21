#!/usr/bin/env bash
# Benchmark of the port programmes (docs/ports.md "Benchmark"), each next to a plain SQL join
# over the same rows, measured in the same run:
#   1. obstacle-clipped views of 1,000 cameras among 50,000 buildings (target ≤ 5 s)
#        vs  SELECT count(*) of camera × building pairs whose footprint touches the sector
#   2. coverage of 10,000 incidents against 1,000 cameras, each at the time it happened (≤ 200 ms)
#        vs  a plain EXISTS join of incidents and camera views (no time condition)
#   3. siting 10 cameras from 5,000 sites × 8 headings over 100,000 signals (≤ 2 s)
#        vs  a plain ST_DWithin join of sites and signals
# The bench database (${GEORISK_TEST_DB_PREFIX:-georisk}_bench_ports, or $GEORISK_BENCH_DB) is
# refilled on every run (about a minute). Option: --runs N (default 3; the best run counts).
source "$(dirname "$0")/lib.sh"

RUNS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    *) die "unknown option $1 (use --runs N)" ;;
  esac
done
DB="${GEORISK_BENCH_DB:-${GEORISK_TEST_DB_PREFIX:-georisk}_bench_ports}"

ensure_runtime_packages
ensure_cluster
log "building the CLI (Release)"
dotnet build "$REPO_ROOT/src/GeoRisk.Cli" -c Release -nologo -v quiet -clp:ErrorsOnly >"$DATA_DIR/bench-build.log" 2>&1 \
  || { cat "$DATA_DIR/bench-build.log"; die "build failed"; }
ensure_database "$DB"
GEORISK_DB="$(connection_string "$DB")" georisk_cli db migrate >/dev/null

mkdir -p "$DATA_DIR/bench"
OUT="$DATA_DIR/bench/ports-$(date +%Y%m%d-%H%M%S).txt"
{
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
  GEORISK_DB="$(connection_string "$DB")" georisk_cli bench ports --i-know --runs "$RUNS"
} | tee "$OUT"
log "written to $OUT"
