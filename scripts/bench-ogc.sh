#!/usr/bin/env bash
# OGC API benchmark: one page of 10,000 area features as GeoJSON through /ogc/collections/areas-custom/items,
# in CRS84 and in EPSG:28992, against the same rows made GeoJSON by ST_AsGeoJSON(record) in the same CRS and
# read straight through Npgsql, in the same run, requests interleaved (georisk ogc bench-items; it also
# prints the API process's CPU time per page). Targets: <= 300 ms, throughput >= 0.8x raw.
# Data: the demo seed plus 10,000 synthetic areas (33-vertex polygons, kind custom) in a database of its
# own (kept between runs; GEORISK_BENCH_REBUILD=1 rebuilds it).
# Then a factsheet with a basemap from a local tile server (python3, 256 px PNG tiles): cold (the
# area's tiles not yet fetched) and warm (from the tile cache) against the same factsheet without
# basemap from a second API process, in the same run. Targets: cold <= 1 s, warm <= 300 ms.
# Usage: scripts/bench-ogc.sh
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
API_PID="$!"
PIDS+=("$API_PID")
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$API_PORT/health" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$API_PORT/health" >/dev/null || die "API did not start (log: $WORK/api.log)"

log "OGC API items: $AREAS areas in one page, API vs ST_AsGeoJSON (median of $REQUESTS, interleaved)"
GEORISK_DB="$(connection_string "$DB")" georisk_cli ogc bench-items --api "http://127.0.0.1:$API_PORT" --key "$KEY" \
  --kind custom --limit "$AREAS" --requests "$REQUESTS" --api-pid "$API_PID"

# --- factsheet with a basemap -------------------------------------------------------------------
TILE_PORT="${BENCH_TILE_PORT:-5594}"
PLAIN_PORT="${BENCH_PLAIN_PORT:-5595}"
BASEMAP_PORT="${BENCH_BASEMAP_PORT:-5596}"
cat >"$WORK/tileserver.py" <<'PY'
# A local basemap tile server for the benchmark: the same 256 px PNG (a grey street-like grid) for
# every /tiles/{z}/{x}/{y}.png, one line per request in the log given as second argument.
import http.server, struct, sys, zlib
def png(w, h, rows):
    chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
    raw = b''.join(b'\x00' + r for r in rows)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw, 6)) + chunk(b'IEND', b'')
TILE = png(256, 256, [bytes((200 if (x % 32 < 3 or y % 32 < 3) else 238) for x in range(256) for _ in range(3)) for y in range(256)])
LOG = open(sys.argv[2], 'a', buffering=1)
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        parts = self.path.strip('/').split('/')
        if len(parts) != 4 or parts[0] != 'tiles' or not parts[3].endswith('.png'):
            self.send_error(404); return
        LOG.write(self.path + '\n')
        self.send_response(200)
        self.send_header('Content-Type', 'image/png')
        self.send_header('Content-Length', str(len(TILE)))
        self.end_headers()
        self.wfile.write(TILE)
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()
PY
: >"$WORK/tiles.log"
python3 "$WORK/tileserver.py" "$TILE_PORT" "$WORK/tiles.log" &
PIDS+=("$!")
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$TILE_PORT/tiles/0/0/0.png" && break; sleep 0.2; done
curl -sf -o /dev/null "http://127.0.0.1:$TILE_PORT/tiles/0/0/0.png" || die "the bench tile server did not start"
: >"$WORK/tiles.log"
start_api() { # port, extra environment...
  local port="$1"; shift
  env Logging__LogLevel__Default=Warning ConnectionStrings__GeoRisk="$(connection_string "$DB")" \
    ASPNETCORE_URLS="http://127.0.0.1:$port" Tiles__Cache__Directory="$WORK/cache-$port" "$@" \
    dotnet "$REPO_ROOT/src/GeoRisk.Api/bin/Release/net10.0/GeoRisk.Api.dll" >"$WORK/api-$port.log" 2>&1 &
  PIDS+=("$!")
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && return 0; sleep 0.2; done
  die "API on $port did not start (log: $WORK/api-$port.log)"
}
start_api "$PLAIN_PORT"
start_api "$BASEMAP_PORT" WebMap__Basemap__Url="http://127.0.0.1:$TILE_PORT/tiles/{z}/{x}/{y}.png" \
  WebMap__Basemap__Attribution="bench tiles" WebMap__Basemap__AllowedHosts__0=127.0.0.1 \
  WebMap__Basemap__CacheDirectory="$WORK/basemap-cache"
# One factsheet: prints its seconds; fails unless 200, a PDF of some size, and the expected basemap status ("any": not checked).
factsheet() { # port casustafel area expected-basemap-status
  local out; out="$(curl -s -o "$WORK/f.pdf" -D "$WORK/f.h" -w '%{http_code} %{size_download} %{time_total}' \
    -H "Authorization: Bearer $KEY" "http://127.0.0.1:$1/api/casustafels/$2/factsheet.pdf?area=$3")"
  local code size secs status; read -r code size secs <<<"$out"
  status="$(tr -d '\r' <"$WORK/f.h" | awk -F': ' 'tolower($1)=="georisk-basemap"{print $2}')"
  [ "$code" = 200 ] && [ "$size" -gt 20000 ] && head -c 5 "$WORK/f.pdf" | grep -q '%PDF-' && { [ "$4" = any ] || [ "$status" = "$4" ]; } \
    || die "factsheet $2/$3 on port $1: HTTP $code, $size bytes, basemap '$status' (expected $4)"
  echo "$secs"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# Warm-up (JIT, pools) on an area that is not measured. The very first factsheet of a process may
# miss the basemap's 2 s budget while everything is compiled (it then says "unavailable"): that
# answer is not counted, every measured one below must have its basemap drawn.
factsheet "$PLAIN_PORT" bloemenveiling BT-THAMERDAL none >/dev/null
factsheet "$BASEMAP_PORT" bloemenveiling BT-THAMERDAL any >/dev/null
log "factsheet with basemap (local tile server): cold and warm vs the same factsheet without basemap"
printf '%-22s %10s %8s %10s %10s %9s %9s\n' area plain_ms tiles cold_ms warm_ms cold/raw warm/raw
COLD=(); WARM=(); PLAIN=()
for pair in 1012:PC4-1012 zuidoost:GB-AMSTERDAMSE-POORT westelijk-havengebied:MP-WESTHAVEN; do
  ct="${pair%%:*}"; area="${pair#*:}"
  before="$(wc -l <"$WORK/tiles.log")"
  cold="$(factsheet "$BASEMAP_PORT" "$ct" "$area" drawn)"
  fetched=$(( $(wc -l <"$WORK/tiles.log") - before ))
  [ "$fetched" -gt 0 ] || die "the cold factsheet of $area fetched no tiles"
  warm="$(for _ in 1 2 3 4 5; do factsheet "$BASEMAP_PORT" "$ct" "$area" drawn; done | median)"
  [ "$(wc -l <"$WORK/tiles.log")" -eq $(( before + fetched )) ] || die "the warm factsheets of $area fetched tiles again"
  sections="$(tr -d '\r' <"$WORK/f.h" | awk -F': ' 'tolower($1)=="server-timing"{print $2}')"
  plain="$(for _ in 1 2 3 4 5; do factsheet "$PLAIN_PORT" "$ct" "$area" none; done | median)"
  awk -v a="$area" -v p="$plain" -v t="$fetched" -v c="$cold" -v w="$warm" \
    'BEGIN { printf "%-22s %10.0f %8d %10.0f %10.0f %8.2fx %8.2fx\n", a, p*1000, t, c*1000, w*1000, c/p, w/p }'
  echo "  last warm factsheet, ms per section (Server-Timing): ${sections:-none}"
  COLD+=("$cold"); WARM+=("$warm"); PLAIN+=("$plain")
done
c="$(printf '%s\n' "${COLD[@]}" | median)"; w="$(printf '%s\n' "${WARM[@]}" | median)"; p="$(printf '%s\n' "${PLAIN[@]}" | median)"
awk -v c="$c" -v w="$w" -v p="$p" 'BEGIN {
  printf "median: without basemap %.0f ms; with basemap cold %.0f ms (%.2fx, target <= 1000 ms: %s), warm %.0f ms (%.2fx, target <= 300 ms: %s)\n",
    p*1000, c*1000, c/p, (c <= 1 ? "met" : "NOT met"), w*1000, w/p, (w <= 0.3 ? "met" : "NOT met") }'
echo "(shared 2-core machine: absolute figures move with other load; the ratio is measured side by side)"
