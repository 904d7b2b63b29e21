#!/usr/bin/env bash
# Benchmark of gelegenheidskaarten (docs/rtm.md "Benchmark"), each figure next to a raw baseline
# measured in the same run on the same data:
#   1. fitting a Risk Terrain Model of 10 factor kinds × 13 operationalisations over ~100,000
#      cells of 100 m (screening + stepwise Poisson by BIC; in-process, inputs already loaded)
#      vs  the raw SQL that builds the design matrix (rtm_design: distances from every cell to the
#      factor features within reach)
#   2. the gelegenheidskaart z12 vector tile, cold (layer SQL, no tile cache)  vs  the raw
#      ST_AsMVT of the same model's cells in that tile (no reach, no newest-model lookup)
# The bench database (${GEORISK_TEST_DB_PREFIX:-georisk}_bench_rtm, or $GEORISK_BENCH_DB) is created
# and filled once and reused. Options: --runs N (default 3; the best run counts), --fresh.
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
DB="${GEORISK_BENCH_DB:-${GEORISK_TEST_DB_PREFIX:-georisk}_bench_rtm}"

ensure_runtime_packages
ensure_cluster
log "building the CLI (Release)"
dotnet build "$REPO_ROOT/src/GeoRisk.Cli" -c Release -nologo -v quiet -clp:ErrorsOnly >"$DATA_DIR/bench-build.log" 2>&1 \
  || { cat "$DATA_DIR/bench-build.log"; die "build failed"; }

[ "$FRESH" -eq 1 ] && drop_database "$DB"
ensure_database "$DB"
export GEORISK_DB; GEORISK_DB="$(connection_string "$DB")"
georisk_cli db migrate >/dev/null

if [ "$(psql_admin "$DB" -tAc "SELECT count(*) FROM overlay_feature")" -lt 3000 ]; then
  log "filling $DB: a 51 × 51 km study area (~100,000 cells), 10 factor kinds × 300 features, 300,000 signals (once)"
  psql_admin "$DB" <<'SQL'
TRUNCATE signal CASCADE;
DELETE FROM rtm_model; DELETE FROM overlay_dataset; DELETE FROM casustafel_area; DELETE FROM casustafel; DELETE FROM area;
INSERT INTO area (code, name, kind, geom) VALUES
  ('BENCH-RTM', 'Bench study area', 'buitengebied', ST_Multi(ST_MakeEnvelope(100000, 400000, 151000, 451000, 28992)));
INSERT INTO casustafel (id, name) VALUES ('bench', 'Bench');
INSERT INTO rtm_factor_kind (code, label_nl, label_en)
SELECT 'bench-' || k, 'Bench ' || k, 'Bench ' || k FROM generate_series(7, 10) AS k ON CONFLICT DO NOTHING;
INSERT INTO overlay_dataset (code, name, programme, layer, factor_kind)
SELECT 'bench-' || code, code, 'bench', 'factor', code FROM rtm_factor_kind;
SELECT setseed(0.2);
INSERT INTO overlay_feature (dataset_id, external_id, kind, geom)
SELECT d.id, d.factor_kind || '-' || i, d.factor_kind,
       ST_SetSRID(ST_MakePoint(100000 + random() * 51000, 400000 + random() * 51000), 28992)
FROM overlay_dataset d CROSS JOIN generate_series(1, 300) AS i;
-- 200,000 signals anywhere, 100,000 near features of three kinds (the planted effects).
INSERT INTO signal (source, external_id, category, observed_at, reliability, geom)
SELECT 'politie', 'bench-' || i, 'drugsproductie', timestamptz '2023-11-15' + random() * interval '1095 days', 1,
       ST_SetSRID(ST_MakePoint(100000 + random() * 51000, 400000 + random() * 51000), 28992)
FROM generate_series(1, 200000) AS i;
INSERT INTO signal (source, external_id, category, observed_at, reliability, geom)
SELECT 'politie', 'bench-near-' || i, 'drugsproductie', timestamptz '2023-11-15' + random() * interval '1095 days', 1,
       ST_Translate(f.geom, (random() - 0.5) * 400, (random() - 0.5) * 400)
FROM generate_series(1, 100000) AS i
CROSS JOIN LATERAL (SELECT geom FROM overlay_feature WHERE kind IN ('vakantiepark', 'jachthaven', 'opslagloods')
                    ORDER BY id OFFSET (i * 7919) % 900 LIMIT 1) f;
VACUUM ANALYZE;
SQL
fi

# Models of earlier bench runs would only grow the cell table.
psql_admin "$DB" -qc "DELETE FROM rtm_model"
log "fitting and timing ($RUNS runs; figures are noisy on a shared machine)"
out="$(georisk_cli rtm bench --area BENCH-RTM --runs "$RUNS")" || die "the benchmark failed: $(tail -5 <<<"$out")"
echo "$out" | grep -E '^check' >&2
grep -q '^check ok' <<<"$out" || die "an answer had the wrong size or status: $(grep -E '^check' <<<"$out")"
value() { grep -Eo "$1=[0-9.]+" <<<"$out" | head -1 | cut -d= -f2; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
fit="$(value fit_ms)"; design="$(value design_ms)"; build="$(value build_ms)"
tile="$(value tile_ms)"; tile_raw="$(value tile_raw_ms)"; cells="$(value cells)"; bytes="$(value tile_bytes)"
for v in "$fit" "$design" "$build" "$tile" "$tile_raw"; do
  [[ "$v" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "a run gave no figure: '$v'"
done
mkdir -p "$REPO_ROOT/bench-results"
{
  echo "gelegenheidskaart, $cells cells of 100 m, 10 factor kinds × 13 operationalisations, 300,000 signals (best of $RUNS runs)"
  printf 'fit (screening + stepwise):  %8.1f ms   raw design-matrix SQL %8.1f ms   ratio %s   target <= 5000 ms\n' "$fit" "$design" "$(ratio "$fit" "$design")"
  printf 'whole model (SQL + fit + store): %8.1f ms   ratio to raw design SQL %s\n' "$build" "$(ratio "$build" "$design")"
  printf 'z12 tile, cold (%s bytes):   %8.2f ms   raw ST_AsMVT %8.2f ms   ratio %s   target <= 10 ms\n' "$bytes" "$tile" "$tile_raw" "$(ratio "$tile" "$tile_raw")"
} | tee "$REPO_ROOT/bench-results/rtm.txt"
