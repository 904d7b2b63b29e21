#!/usr/bin/env bash
# Starts the whole GeoRisk service with demo data: installs what is missing, starts the
# project-local PostGIS, migrates, seeds the demo once, builds and starts the API.
source "$(dirname "$0")/lib.sh"

API_PORT="${GEORISK_PORT:-5080}"
DB_NAME="${GEORISK_DB_NAME:-georisk}"

ensure_runtime_packages
ensure_cluster
ensure_app_role
ensure_database "$DB_NAME"
build_solution
export GEORISK_DB; GEORISK_DB="$(connection_string "$DB_NAME")"

log "migrating $DB_NAME"
georisk_cli db migrate
log "seeding demo data (skipped when already present)"
georisk_cli seed-demo --keys-file "$DATA_DIR/demo-keys.json"

if [ -f "$DATA_DIR/api.pid" ] && kill -0 "$(cat "$DATA_DIR/api.pid")" 2>/dev/null; then
  log "stopping the running API"
  kill "$(cat "$DATA_DIR/api.pid")" || true; sleep 1
fi
log "starting the API on http://127.0.0.1:$API_PORT"
cd "$REPO_ROOT/src/GeoRisk.Api"
# The API runs as the unprivileged application role; migrations and the seed above ran as the owner.
GEORISK_DB="$(app_connection_string "$DB_NAME")" ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" \
  nohup dotnet "bin/Release/net10.0/GeoRisk.Api.dll" --urls "http://127.0.0.1:$API_PORT" \
  >"$DATA_DIR/api.log" 2>&1 &
echo $! >"$DATA_DIR/api.pid"

for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$API_PORT/health" >/dev/null 2>&1 && break
  kill -0 "$(cat "$DATA_DIR/api.pid")" 2>/dev/null || { tail -30 "$DATA_DIR/api.log"; die "the API stopped (log: $DATA_DIR/api.log)"; }
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$API_PORT/health" >/dev/null || die "the API did not become healthy (log: $DATA_DIR/api.log)"

cat <<MSG

GeoRisk draait / is running:
  kaart / map        http://127.0.0.1:$API_PORT/
  gezondheid/health  http://127.0.0.1:$API_PORT/health
  gebieden/areas     http://127.0.0.1:$API_PORT/api/areas
  OpenAPI            http://127.0.0.1:$API_PORT/openapi/v1.json
  demo keys          $DATA_DIR/demo-keys.json
  log                $DATA_DIR/api.log
Stop with scripts/stop.sh
MSG
