#!/usr/bin/env bash
# What access control costs per request. Starts the API (Release) on a demo
# database of its own and measures with wrk, 2 connections, ${BENCH_SECONDS:-8} s each:
#   baseline  GET /health without a key (two small queries, no authentication)
#   keyed     GET /api/categories with a cached key (key row from the node's key cache + one small query)
#   scoped    GET /api/areas/PC4-1012 as a member of 1012 (scoped query + audit row, group-committed)
# and the first request of a new key (PBKDF2, 210 000 iterations) against its second one.
# Prints requests/s and latency with ratios against the baseline measured in this run.
source "$(dirname "$0")/lib.sh"

PORT="${GEORISK_BENCH_PORT:-5096}"
SECONDS_EACH="${BENCH_SECONDS:-8}"
DB_NAME="${GEORISK_TEST_DB_PREFIX:-georisk}_bench_access"
command -v wrk >/dev/null || ensure_packages wrk

ensure_cluster
build_solution
recreate_database "$DB_NAME"
export GEORISK_DB; GEORISK_DB="$(connection_string "$DB_NAME")"
georisk_cli db migrate >/dev/null
georisk_cli seed-demo --keys-file "$DATA_DIR/bench-access-keys.json" >/dev/null
key_of() { python3 -c "import json,sys; print(next(k['key'] for k in json.load(open(sys.argv[1])) if k['name']==sys.argv[2]))" "$DATA_DIR/bench-access-keys.json" "$1"; }
ADMIN="$(key_of admin)"; MEMBER="$(key_of member-1012)"

cd "$REPO_ROOT/src/GeoRisk.Api"
ASPNETCORE_ENVIRONMENT=Production GeoRisk__Access__PermitsPerWindow=1000000 Logging__LogLevel__Default=Warning \
  dotnet bin/Release/net10.0/GeoRisk.Api.dll --urls "http://127.0.0.1:$PORT" >"$DATA_DIR/bench-access-api.log" 2>&1 &
API_PID=$!
trap 'kill $API_PID 2>/dev/null || true; drop_database "$DB_NAME" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 $API_PID 2>/dev/null || { tail -5 "$DATA_DIR/bench-access-api.log"; die "the API stopped"; }
  sleep 0.5
done
BASE="http://127.0.0.1:$PORT"

run_wrk() { # name, path, key or ""
  local header=()
  [ -n "$3" ] && header=(-H "Authorization: Bearer $3")
  # Warm-up (pool, JIT, the key cache), then the measured run.
  wrk -t1 -c2 -d2s "${header[@]}" "$BASE$2" >/dev/null
  wrk -t1 -c2 -d"${SECONDS_EACH}s" --latency "${header[@]}" "$BASE$2" | awk -v name="$1" '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx/ { bad = $NF }
    END { printf "%s %s %s %s %s\n", name, rps, p50, p99, (bad == "" ? 0 : bad) }'
}

log "measuring (${SECONDS_EACH} s per case)"
results="$(run_wrk baseline /health ""; run_wrk keyed /api/categories "$ADMIN"; run_wrk scoped /api/areas/PC4-1012 "$MEMBER")"

# First request of a fresh key pays PBKDF2; the second is served from the verified-key cache.
NEW_KEY="$(georisk_cli keys create --role viewer --label "bench" 2>/dev/null)"
t_first="$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $NEW_KEY" "$BASE/api/categories")"
t_second="$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $NEW_KEY" "$BASE/api/categories")"

echo
echo "access control overhead (wrk -c2, ${SECONDS_EACH} s; latency p50/p99)"
awk 'NR == 1 { base = $2 }
     { printf "  %-9s %9.0f req/s  (%.2fx baseline)  p50 %-8s p99 %-8s non-2xx %s\n", $1, $2, $2 / base, $3, $4, $5 }' <<<"$results"
awk -v a="$t_first" -v b="$t_second" 'BEGIN { printf "  new key: first request %.1f ms (PBKDF2), second %.1f ms (cached): %.0fx\n", a * 1000, b * 1000, a / b }'
