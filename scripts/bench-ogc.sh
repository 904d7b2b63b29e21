#!/usr/bin/env bash
# OGC API benchmark: one page of 10,000 area features as GeoJSON through /ogc/collections/areas-custom/items
# against the same rows made GeoJSON by ST_AsGeoJSON(record) and read straight through Npgsql, in the
# same run, requests interleaved (georisk ogc bench-items). Targets: <= 300 ms, throughput >= 0.8x raw.
# Data: the demo seed plus 10,000 synthetic areas (33-vertex polygons, kind custom) in a database of its
# own (kept between runs; GEORISK_BENCH_REBUILD=1 rebuilds it). Usage: scripts/bench-ogc.sh
source "$(dirname "$0")/lib.sh"

AREAS="${BENCH_AREAS:-10000}"
REQUESTS="${BENCH_REQUESTS:-9}"
PREFIX="${GEORISK_TEST_DB_PREFIX:-georisk}"
DB="${PREFIX}_bench_ogc"
API_PORT="${BENCH_API_PORT:-5593}"
WORK="$DATA_DIR/bench-ogc"
rm -rf "$WORK"; mkdir -p "$WORK"

ensure_runtime_packages
ensure_cluster
build_solution

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

have=0
if [ "${GEORISK_BENCH_REBUILD:-0}" != 1 ] && psql_admin postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  have="$(psql_admin "$DB" -tAc "SELECT count(*) FROM area WHERE code LIKE 'BENCH-%'" 2>/dev/null || echo 0)"
fi
if [ "$have" -lt "$AREAS" ]; then
  log "building $DB with $AREAS synthetic areas (kept for later runs)"
  recreate_database "$DB"
  GEORISK_DB="$(connection_string "$DB")" georisk_cli db migrate >/dev/null
  GEORISK_DB="$(connection_string "$DB")" georisk_cli seed-demo >/dev/null
  # A grid of 100 x 100 round-ish areas (32 segments) south-west of Amsterdam, 300 m apart.
  psql_admin "$DB" -c "
    INSERT INTO area (code, name, kind, geom)
    SELECT 'BENCH-' || lpad(i::text, 5, '0'), 'Bench area ' || i, 'custom',
           ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(100000 + (i % 100) * 300, 460000 + (i / 100) * 300), 28992), 120, 8))
    FROM generate_series(0, $AREAS - 1) AS i" -c "VACUUM ANALYZE area" >/dev/null
fi
GEORISK_DB="$(connection_string "$DB")" georisk_cli db migrate >/dev/null
KEY="$(GEORISK_DB="$(connection_string "$DB")" georisk_cli keys create --role admin --label "bench-ogc" 2>/dev/null)"

Logging__LogLevel__Default=Warning ConnectionStrings__GeoRisk="$(connection_string "$DB")" \
  ASPNETCORE_URLS="http://127.0.0.1:$API_PORT" Tiles__Cache__Directory="$WORK/cache" \
  dotnet "$REPO_ROOT/src/GeoRisk.Api/bin/Release/net10.0/GeoRisk.Api.dll" >"$WORK/api.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$API_PORT/health" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$API_PORT/health" >/dev/null || die "API did not start (log: $WORK/api.log)"

log "OGC API items: $AREAS areas in one page, API vs ST_AsGeoJSON (median of $REQUESTS, interleaved)"
GEORISK_DB="$(connection_string "$DB")" georisk_cli ogc bench-items --api "http://127.0.0.1:$API_PORT" --key "$KEY" \
  --kind custom --limit "$AREAS" --requests "$REQUESTS"
echo "(shared 2-core machine: absolute figures move with other load; the ratio is measured side by side)"
