#!/usr/bin/env bash
# Runs every benchmark (scripts/bench-*.sh) in turn and keeps their output in bench-results/.
# Each prints its figures with ratios against a raw baseline measured in the same run.
source "$(dirname "$0")/lib.sh"
OUT="$REPO_ROOT/bench-results"; mkdir -p "$OUT"
status=0
for bench in "$REPO_ROOT"/scripts/bench-*.sh; do
  [ -f "$bench" ] || continue
  name="$(basename "$bench" .sh)"
  log "$name"
  bash "$bench" "$@" 2>&1 | tee "$OUT/$name.txt" || status=1
done
exit $status
