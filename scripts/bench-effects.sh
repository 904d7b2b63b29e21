#!/usr/bin/env bash
# Benchmark of effect monitoring (docs/effects.md "Benchmark"), each figure next to a raw
# baseline measured in the same run on the same data:
#   1. the analysis of one intervention over 1,000,000 signals (georisk intervention analyse,
#      timed in-process: zones, windows, series, statistics)  vs  the raw COUNT queries of the
#      same three zones and two windows
#   2. all 50 interventions of a casustafel  vs  the raw COUNT queries of all of them
# The bench database (georisk_bench_effects, or $GEORISK_BENCH_DB) is created and filled once
# and reused. Options: --runs N (default 3; the best run counts), --fresh.
source "$(dirname "$0")/lib.sh"

RUNS=3
FRESH=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --fresh) FRESH=1; shift ;;
    *) die "unknown option $1 (use --runs N, --fresh)" ;;
  esac
done
DB="${GEORISK_BENCH_DB:-${GEORISK_TEST_DB_PREFIX:-georisk}_bench_effects}"
AS_OF="2026-06-01"

ensure_runtime_packages
ensure_cluster
log "building the CLI (Release)"
dotnet build "$REPO_ROOT/src/GeoRisk.Cli" -c Release -nologo -v quiet -clp:ErrorsOnly >"$DATA_DIR/bench-build.log" 2>&1 \
  || { cat "$DATA_DIR/bench-build.log"; die "build failed"; }

[ "$FRESH" -eq 1 ] && drop_database "$DB"
ensure_database "$DB"
export GEORISK_DB; GEORISK_DB="$(connection_string "$DB")"
georisk_cli db migrate >/dev/null

if [ "$(psql_admin "$DB" -tAc "SELECT count(*) FROM signal")" -lt 1000000 ]; then
  log "filling $DB: 5,000 buurten, 1,000,000 signals over three years, 50 interventions (once; a few minutes)"
  psql_admin "$DB" <<'SQL'
TRUNCATE signal CASCADE;
DELETE FROM intervention; DELETE FROM casustafel_area; DELETE FROM casustafel; DELETE FROM area;
INSERT INTO area (code, name, kind, geom)
SELECT 'B-' || i, 'Bench ' || i, 'buurt',
       ST_Multi(ST_MakeEnvelope(100000 + (i % 100) * 1000, 400000 + (i / 100) * 1000,
                                101000 + (i % 100) * 1000, 401000 + (i / 100) * 1000, 28992))
FROM generate_series(0, 4999) AS i;
SELECT setseed(0.4);
INSERT INTO signal (source, external_id, category, observed_at, reliability, geom)
SELECT (SELECT array_agg(code ORDER BY code) FROM source_partner)[1 + floor(random() * 11)::int],
       'bench-' || i,
       (SELECT array_agg(code ORDER BY code) FROM category)[1 + floor(random() * 18)::int],
       timestamptz '2023-06-01' + random() * interval '1095 days',
       round(random()::numeric, 2),
       ST_SetSRID(ST_MakePoint(100000 + random() * 100000, 400000 + random() * 50000), 28992)
FROM generate_series(1, 1000000) AS i;
INSERT INTO casustafel (id, name) VALUES ('bench', 'Bench');
INSERT INTO intervention (code, version, name, kind, casustafel_id, area_code, start_date, geom, created_by)
SELECT 'bench-' || k, 1, 'Bench ' || k, 'controleweek', 'bench', a.code, DATE '2025-06-01' + (k * 3), a.geom, 'bench'
FROM generate_series(1, 50) AS k JOIN area a ON a.code = 'B-' || (1000 + k * 61);
VACUUM ANALYZE;
SQL
fi

best_ms() { sort -n | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# The raw baseline: the three zones' counts in the two windows, as plain SQL, for N interventions.
raw_counts() { # number of interventions
  psql_admin "$DB" -tA <<SQL | grep -Eo '^Time: [0-9.]+' | awk '{ s += $2 } END { printf "%.1f\n", s }'
\timing on
SELECT i.code, x.*,
       (SELECT count(*) FROM signal c JOIN area ca ON ca.code = 'B-10' AND ST_Intersects(ca.geom, c.geom)
        WHERE c.observed_at >= i.start_date - 182 AND c.observed_at < i.start_date + 182) AS control
FROM intervention i
CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE ST_Intersects(i.geom, s.geom) AND s.observed_at < i.start_date) AS target_before,
           count(*) FILTER (WHERE ST_Intersects(i.geom, s.geom) AND s.observed_at >= i.start_date) AS target_after,
           count(*) FILTER (WHERE NOT ST_Intersects(i.geom, s.geom) AND s.observed_at < i.start_date) AS buffer_before,
           count(*) FILTER (WHERE NOT ST_Intersects(i.geom, s.geom) AND s.observed_at >= i.start_date) AS buffer_after
    FROM signal s
    WHERE ST_DWithin(i.geom, s.geom, 250) AND s.observed_at >= i.start_date - 182 AND s.observed_at < i.start_date + 182) x
WHERE i.code IN (SELECT 'bench-' || k FROM generate_series(1, $1) k);
SQL
}

one=(); one_raw=(); all=(); all_raw=()
for run in $(seq 1 "$RUNS"); do
  log "run $run of $RUNS"
  one+=("$(georisk_cli intervention analyse bench-1 --control B-10 --as-of "$AS_OF" --timing | grep -Eo 'analysis_ms=[0-9.]+' | cut -d= -f2)")
  one_raw+=("$(raw_counts 1)")
  out="$(georisk_cli intervention analyse-all --casustafel bench --control B-10 --as-of "$AS_OF")" || die "analyse-all failed: $(tail -3 <<<"$out")"
  grep -q "analysed=50 failed=0" <<<"$out" || die "not all 50 interventions were analysed: $(tail -1 <<<"$out")"
  all+=("$(grep -Eo 'total_ms=[0-9.]+' <<<"$out" | cut -d= -f2)")
  all_raw+=("$(raw_counts 50)")
done
for v in "${one[@]}" "${all[@]}" "${one_raw[@]}" "${all_raw[@]}"; do
  [[ "$v" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "a run gave no figure (the analysis or the raw query failed): '$v'"
done
b1="$(printf '%s\n' "${one[@]}" | best_ms)"; r1="$(printf '%s\n' "${one_raw[@]}" | best_ms)"
b2="$(printf '%s\n' "${all[@]}" | best_ms)"; r2="$(printf '%s\n' "${all_raw[@]}" | best_ms)"
mkdir -p "$REPO_ROOT/bench-results"
{
  echo "effect monitoring, 1,000,000 signals, 5,000 buurten (best of $RUNS runs)"
  printf 'one intervention:   %8.1f ms   raw counts %8.1f ms   ratio %s   target <= 300 ms\n' "$b1" "$r1" "$(ratio "$b1" "$r1")"
  printf '50 interventions:   %8.1f ms   raw counts %8.1f ms   ratio %s   target <= 3000 ms\n' "$b2" "$r2" "$(ratio "$b2" "$r2")"
} | tee "$REPO_ROOT/bench-results/effects.txt"
