#!/usr/bin/env bash
# Intake benchmark: generates N synthetic signals (default 1,000,000) and reports rows/s
# for raw binary COPY into the signal table (the baseline), the privacy gate alone, and the
# end-to-end import of the CSV file, with each figure as a ratio of raw COPY measured in the
# same run, the rows that landed, and the server CPU. Targets: end-to-end >= 0.4 x raw COPY and >= 100,000 rows/s.
# Usage: scripts/bench-intake.sh [ROWS]. Uses its own database ${GEORISK_TEST_DB_PREFIX:-georisk}_bench.
source "$(dirname "$0")/lib.sh"

ROWS="${1:-1000000}"
ensure_runtime_packages
ensure_cluster
log "building the CLI (Release)"
dotnet build "$REPO_ROOT/src/GeoRisk.Cli" -c Release -nologo -v quiet -clp:ErrorsOnly >"$DATA_DIR/build-bench.log" 2>&1 \
  || { cat "$DATA_DIR/build-bench.log"; die "build failed"; }

DB="${GEORISK_TEST_DB_PREFIX:-georisk}_bench"
log "preparing database $DB"
recreate_database "$DB"
export GEORISK_DB; GEORISK_DB="$(connection_string "$DB")"
georisk_cli db migrate >/dev/null

log "benchmark: $ROWS signals (machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
mkdir -p "$DATA_DIR/bench"
georisk_cli bench intake --i-know --rows "$ROWS" --dir "$DATA_DIR/bench" | tee "$DATA_DIR/bench/intake-$(date -u +%Y%m%dT%H%M%SZ).txt"
drop_database "$DB"
