#!/usr/bin/env bash
# Tile benchmarks, each against a raw baseline measured in the same run:
#  (a) cold tile latency through the API (cache off) vs the same SQL run directly (Npgsql), ratio;
#  (b) z12 hexbin tile, cold, through the API (target <= 10 ms);
#  (c) cached tile throughput (wrk) of the API vs nginx serving the same tile file from disk, ratio;
#  (d) raster render of 2,000 polygons (fill, outline, PNG) vs Mapnik drawing the same features, ratio;
#  (e) cold z14 signal and z10 area tiles, latency and throughput, vs MapServer 8 (FastCGI + nginx) on the same tables.
# Data: the demo seed grown to BENCH_SIGNALS (default 1,000,000) demo-like signals in a database of
# its own (kept between runs; GEORISK_BENCH_REBUILD=1 rebuilds it). Usage: scripts/bench-tiles.sh
# BENCH_SECTIONS=c,e (default a,c,d,e; "a" includes the b lines) runs only those sections, for a
# short run on a loaded machine; BENCH_REQUESTS and BENCH_WRK_SECONDS shorten each of them
# (BENCH_WARMUP_SECONDS, default 5: wrk warm-up of the cached-tile rounds).
source "$(dirname "$0")/lib.sh"

SIGNALS="${BENCH_SIGNALS:-1000000}"
REQUESTS="${BENCH_REQUESTS:-15}"
DURATION="${BENCH_WRK_SECONDS:-8}"
PREFIX="${GEORISK_TEST_DB_PREFIX:-georisk}"
DB="${PREFIX}_bench_tiles"
API_PORT="${BENCH_API_PORT:-5591}"
NGINX_PORT="${BENCH_NGINX_PORT:-5592}"
WORK="$DATA_DIR/bench-tiles"
SECTIONS="${BENCH_SECTIONS:-a,c,d,e}"
want() { [[ ",$SECTIONS," == *",$1,"* ]]; }
rm -rf "$WORK"; mkdir -p "$WORK"

ensure_runtime_packages
ensure_packages nginx wrk python3-mapnik mapserver-bin cgi-mapserver spawn-fcgi
ensure_cluster
build_solution

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

psql_db() { psql_admin "$DB" "$@"; }

# ---------------------------------------------------------------- data
have=0
if [ "${GEORISK_BENCH_REBUILD:-0}" != 1 ] && psql_admin postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  have="$(psql_db -tAc "SELECT count(*) FROM signal" 2>/dev/null || echo 0)"
fi
if [ "$have" -lt "$SIGNALS" ]; then
  log "building $DB with $SIGNALS signals (kept for later runs)"
  recreate_database "$DB"
  GEORISK_DB="$(connection_string "$DB")" georisk_cli db migrate >/dev/null
  GEORISK_DB="$(connection_string "$DB")" georisk_cli seed-demo >/dev/null
  # Copies of the demo signals, moved up to 200 m and back in time: same hotspots, same mix.
  psql_db -c "
    INSERT INTO signal (source, external_id, category, observed_at, reliability, precision, geom)
    SELECT s.source, s.external_id || '-b' || k, s.category, s.observed_at - k * interval '7 days', s.reliability, s.precision,
           ST_Translate(s.geom, (random() - 0.5) * 400, (random() - 0.5) * 400)
    FROM signal s CROSS JOIN generate_series(1, 40) AS k
    LIMIT $SIGNALS - (SELECT count(*) FROM signal)" >/dev/null
  psql_db -c "SELECT hex_rebuild()" -c "VACUUM ANALYZE" >/dev/null
fi
GEORISK_DB="$(connection_string "$DB")" georisk_cli db migrate >/dev/null   # a database kept from an older run
count="$(psql_db -tAc "SELECT count(*) FROM signal")"
# Every endpoint needs an API key: an admin key for this run.
KEY="$(GEORISK_DB="$(connection_string "$DB")" georisk_cli keys create --role admin --label "bench-tiles" 2>/dev/null)"
AUTH="Authorization: Bearer $KEY"
log "$DB: $count signals"

# Six busy z14 tiles (ranks 21-26 by signal count: Amsterdam hotspots, not the extreme ones),
# and the z12 tile of central Amsterdam for the hexagons.
TILES="$(psql_db -tAc "
  SELECT 14 || '/' || floor((ST_X(geom_3857) + 20037508.342789244) / (40075016.68557849 / 16384))::int || '/' ||
         floor((20037508.342789244 - ST_Y(geom_3857)) / (40075016.68557849 / 16384))::int
  FROM signal GROUP BY 1 ORDER BY count(*) DESC OFFSET 20 LIMIT 6" | tr '\n' ' ')"
HEX_TILE="12/2103/1346"
first="${TILES%% *}"

start_api() { # cache on/off, cache dir
  Tiles__Cache__Enabled="$1" Tiles__Cache__Directory="$2" Logging__LogLevel__Default=Warning \
    ConnectionStrings__GeoRisk="$(connection_string "$DB")" ASPNETCORE_URLS="http://127.0.0.1:$API_PORT" \
    dotnet "$REPO_ROOT/src/GeoRisk.Api/bin/Release/net10.0/GeoRisk.Api.dll" >"$WORK/api-$1.log" 2>&1 &
  API_PID=$!; PIDS+=("$API_PID")
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$API_PORT/health" >/dev/null && return 0; sleep 0.2; done
  die "API did not start (log: $WORK/api-$1.log)"
}
stop_api() { kill "$API_PID"; wait "$API_PID" 2>/dev/null || true; }


# wrk with every answer checked, for (c) and (e).
cat >"$WORK/check.lua" <<'LUA'
-- Counts answers with status 200 and exactly EXPECT_BYTES of body; anything else is "bad".
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; bad = 0; statuses = ""; expected = tonumber(os.getenv("EXPECT_BYTES")) end
function response(status, headers, body)
  if status == 200 and #body == expected then ok = ok + 1
  else bad = bad + 1; if #statuses < 40 then statuses = statuses .. status .. "/" .. #body .. " " end end
end
function done(summary, latency, requests)
  local o, b, s = 0, 0, ""
  for _, t in ipairs(threads) do o = o + t:get("ok"); b = b + t:get("bad"); s = s .. t:get("statuses") end
  io.write(string.format("checked ok=%d bad=%d seconds=%.3f p50_ms=%.2f %s\n", o, b, summary.duration / 1e6, latency:percentile(50) / 1000, s))
end
LUA
# Prints "<checked answers per second> <p50 ms>"; dies when any counted answer was not the tile.
wrk_checked() { # url, expected bytes, extra header; WRK_CONNECTIONS (32)
  local out
  out="$(EXPECT_BYTES="$2" wrk -t2 -c"${WRK_CONNECTIONS:-32}" -d"${DURATION}s" -H "$AUTH" ${3:+-H "$3"} -s "$WORK/check.lua" "$1")"
  local line; line="$(grep '^checked' <<<"$out")"
  local ok bad secs p50
  ok="$(sed -E 's/.*ok=([0-9]+).*/\1/' <<<"$line")"; bad="$(sed -E 's/.*bad=([0-9]+).*/\1/' <<<"$line")"
  secs="$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$line")"; p50="$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$line")"
  [ "$bad" = 0 ] || die "$1: $bad of $((ok + bad)) answers were not a $2-byte 200 ($line)"
  [ "$ok" -gt 0 ] || die "$1: no answers"
  echo "$ok" >"$WORK/last_ok"
  echo "$(echo "$ok / $secs" | bc -l) $p50"
}
wrk_checked_c8() { WRK_CONNECTIONS=8 wrk_checked "$@"; }
# CPU time (user + system, in clock ticks) of the given processes, for CPU per answer: unlike
# answers per second it hardly moves with the load other processes put on the machine.
CLK_TCK="$(getconf CLK_TCK)"
cpu_ticks() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
db_backends() { psql_db -tAc "SELECT string_agg(pid::text, ' ') FROM pg_stat_activity WHERE datname = '$DB' AND backend_type = 'client backend' AND pid <> pg_backend_pid()"; }
us_per() { awk -v t="$1" -v n="$2" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", t * 1e6 / hz / n }'; } # ticks, answers

# ---------------------------------------------------------------- (a) and (b): cold
if want a; then
# georisk tiles bench-cold: API requests (cache off) interleaved with the layer's own query run
# straight through Npgsql (same SQL and parameters, no HTTP), median of $REQUESTS each.
start_api false "$WORK/cache-off"
printf '\n(a) cold tile latency, API (cache off) vs the same query straight to PostgreSQL\n'
# shellcheck disable=SC2086
out_a="$(GEORISK_DB="$(connection_string "$DB")" georisk_cli tiles bench-cold --api "http://127.0.0.1:$API_PORT" --key "$KEY" --layer signals --requests "$REQUESTS" --tile $TILES)"
echo "$out_a"
printf '(a) ratio %s (target <= 1.1)\n' "$(sed -nE 's/.*ratio=([0-9.]+).*/\1/p' <<<"$out_a")"

printf '\n(b) z12 hexbin tile, cold\n'
out_b="$(GEORISK_DB="$(connection_string "$DB")" georisk_cli tiles bench-cold --api "http://127.0.0.1:$API_PORT" --key "$KEY" --layer hexbins --requests "$REQUESTS" --tile "$HEX_TILE")"
echo "$out_b"
printf '(b) api %s ms (target <= 10)\n' "$(sed -nE 's/.*api_ms=([0-9.]+).*/\1/p' <<<"$out_b")"

# The viewer's hexbin tile adds publish_count (cell-key noise) per cell: the same tile as a
# viewer, against the viewer's query straight to PostgreSQL and against (b), the admin's tile.
VKEY="$(GEORISK_DB="$(connection_string "$DB")" georisk_cli keys create --role viewer --label "bench-tiles viewer" 2>/dev/null)"
VK="$(psql_db -tAc "SELECT access_suppression_k()")"
printf '\n(b2) z12 hexbin tile, cold, as a viewer (k %s: cell-key noise per cell)\n' "$VK"
out_b2="$(GEORISK_DB="$(connection_string "$DB")" georisk_cli tiles bench-cold --api "http://127.0.0.1:$API_PORT" --key "$VKEY" --viewer-k "$VK" --layer hexbins --requests "$REQUESTS" --tile "$HEX_TILE")"
echo "$out_b2"
api_b="$(sed -nE 's/.*api_ms=([0-9.]+).*/\1/p' <<<"$out_b")"; api_b2="$(sed -nE 's/.*api_ms=([0-9.]+).*/\1/p' <<<"$out_b2")"
printf '(b2) viewer %s ms vs admin %s ms: ratio %s\n' "$api_b2" "$api_b" "$(awk -v a="$api_b2" -v b="$api_b" 'BEGIN { printf "%.2f", a / b }')"
stop_api
# The function alone, over every hexagon total of the database: publish_count vs the rounding
# it replaced (suppress_count) vs the bare count, each the best of 3 runs.
best_ms() { for _ in 1 2 3; do psql_db -c '\timing on' -c "$1" | sed -nE 's/^Time: ([0-9.]+) ms.*/\1/p'; done | sort -n | head -1; }
cells="$(psql_db -tAc "SELECT count(*) FROM hex_total")"
t_raw="$(best_ms "SELECT sum(n) FROM hex_total")"
t_old="$(best_ms "SELECT sum(suppress_count(n, 5)) FROM hex_total")"
t_new="$(best_ms "SELECT sum(publish_count(n, key_sum, 5)) FROM hex_total")"
printf '(b3) %s cells: sum(n) %s ms, suppress_count %s ms, publish_count %s ms (%.2fx suppress_count, %.2fx raw)\n' \
  "$cells" "$t_raw" "$t_old" "$t_new" "$(awk -v a="$t_new" -v b="$t_old" 'BEGIN { print a / b }')" "$(awk -v a="$t_new" -v b="$t_raw" 'BEGIN { print a / b }')"

fi

# ---------------------------------------------------------------- (c): cached throughput
if want c; then
# The API runs with its rate limit lifted (nginx has none): a wrk run is one client asking
# thousands of times a second, which the per-key limit rightly refuses. Every counted answer
# is checked (status 200 and the exact body size, by a wrk Lua script); the figure is checked
# answers per second, and a run with any other answer fails the benchmark.
start_api_cached() {
  GeoRisk__Access__PermitsPerWindow=1000000000 start_api true "$WORK/cache"
}
start_api_cached
IFS=/ read -r cz cx cy <<<"$first"
url="/tiles/signals/$cz/$cx/$cy.mvt"
curl -s -H "$AUTH" -o "$WORK/tile.mvt" "http://127.0.0.1:$API_PORT$url"
[ "$(curl -s -H "$AUTH" -o /dev/null -D - "http://127.0.0.1:$API_PORT$url" | grep -ci 'x-cache: hit')" = 1 ] || die "tile not served from cache"
curl -s -H "$AUTH" -H 'Accept-Encoding: gzip' -o "$WORK/tile.mvt.gz" "http://127.0.0.1:$API_PORT$url"
gzip -t "$WORK/tile.mvt.gz" && cmp -s <(gzip -dc "$WORK/tile.mvt.gz") "$WORK/tile.mvt" || die "gzip answer is not the tile"
mkdir -p "$WORK/nginx/root$(dirname "$url")" "$WORK/nginx/tmp"
cp "$(find "$WORK/cache/signals/$cz/$cx/$cy" -name 'mvt-*.tile' | head -1)" "$WORK/nginx/root$url"
cmp -s "$WORK/tile.mvt" "$WORK/nginx/root$url" || die "cached file differs from the served tile"
# nginx sends the very same gzip bytes (gzip_static), so both sides answer byte for byte alike.
cp "$WORK/tile.mvt.gz" "$WORK/nginx/root$url.gz"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp; proxy_temp_path $WORK/nginx/tmp; fastcgi_temp_path $WORK/nginx/tmp;
  uwsgi_temp_path $WORK/nginx/tmp; scgi_temp_path $WORK/nginx/tmp;
  types { application/vnd.mapbox-vector-tile mvt; }
  gzip_static on; gzip_vary on;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/nginx/root; etag on; }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
PIDS+=("$!")
sleep 0.5
size="$(stat -c %s "$WORK/tile.mvt")"; gz_size="$(stat -c %s "$WORK/tile.mvt.gz")"
# Warm-up, both encodings: on a loaded machine the JIT's second tier takes seconds to arrive.
for warm_hdr in 'Accept-Encoding: identity' 'Accept-Encoding: gzip'; do
  wrk -t2 -c32 -d"${BENCH_WARMUP_SECONDS:-5}s" -H "$AUTH" -H "$warm_hdr" "http://127.0.0.1:$API_PORT$url" >/dev/null
done
printf '\n(c) cached tile %s, wrk -t2 -c32 %ss, every answer checked (200 + exact size); rounds alternate API and nginx\n' "$url" "$DURATION"
NGINX_PIDS="$(cat "$WORK/nginx/nginx.pid") $(pgrep -P "$(cat "$WORK/nginx/nginx.pid")" | tr '\n' ' ')"
for enc in plain gzip; do
  if [ "$enc" = gzip ]; then hdr='Accept-Encoding: gzip'; bytes="$gz_size"; else hdr=''; bytes="$size"; fi
  # CPU per checked answer: the API process, its PostgreSQL backends (the audit rows) and nginx.
  backends="$(db_backends)"; a0="$(cpu_ticks "$API_PID")"; b0="$(cpu_ticks $backends)"
  read -r api_rps api_p50 <<<"$(wrk_checked "http://127.0.0.1:$API_PORT$url" "$bytes" "$hdr")"
  a1="$(cpu_ticks "$API_PID")"; b1="$(cpu_ticks $backends)"; api_ok="$(cat "$WORK/last_ok")"
  n0="$(cpu_ticks $NGINX_PIDS)"
  read -r nginx_rps nginx_p50 <<<"$(wrk_checked "http://127.0.0.1:$NGINX_PORT$url" "$bytes" "$hdr")"
  n1="$(cpu_ticks $NGINX_PIDS)"; nginx_ok="$(cat "$WORK/last_ok")"
  printf '(c) %-5s %7s bytes: api %.0f req/s (p50 %s ms), nginx %.0f req/s (p50 %s ms), ratio %.2f (target >= 0.5); load average %s\n' \
    "$enc" "$bytes" "$api_rps" "$api_p50" "$nginx_rps" "$nginx_p50" "$(echo "$api_rps / $nginx_rps" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)"
  api_us="$(us_per $((a1 - a0)) "$api_ok")"; pg_us="$(us_per $((b1 - b0)) "$api_ok")"; nginx_us="$(us_per $((n1 - n0)) "$nginx_ok")"
  printf '(c) %-5s CPU per answer: api %s us + its PostgreSQL backends %s us, nginx %s us; nginx / (api + PostgreSQL) %.2f\n' \
    "$enc" "$api_us" "$pg_us" "$nginx_us" "$(awk -v n="$nginx_us" -v a="$api_us" -v p="$pg_us" 'BEGIN { print n / (a + p) }')"
done
# Memory with the caches on, under 64 connections: resident set size at the end of a run.
WRK_CONNECTIONS=64 wrk_checked "http://127.0.0.1:$API_PORT$url" "$gz_size" 'Accept-Encoding: gzip' >/dev/null
rss_kb="$(awk '/^VmRSS/ {print $2}' "/proc/$API_PID/status")"; hwm_kb="$(awk '/^VmHWM/ {print $2}' "/proc/$API_PID/status")"
printf '(c) API memory after wrk -c64 on cached tiles: RSS %d MB, peak %d MB (target < 400 MB)\n' "$((rss_kb / 1024))" "$((hwm_kb / 1024))"
stop_api

# (c) again with the local audit journal (docs/access.md, "Audit journal"): an answer waits for
# its row's append to a file of the node's own instead of a commit in PostgreSQL; fsync on (the
# journal's default) and off. After each run the API is stopped gracefully (which ships the
# journal): every checked answer must have its row in audit_log, none twice, no segment left.
KEY_ID="$(cut -d_ -f2 <<<"$KEY")"
printf '\n(c) gzip with the audit journal (GeoRisk:Audit:JournalDirectory), same tile, rounds alternate API and nginx\n'
for sync in true false; do
  jdir="$WORK/journal-$sync"; rm -rf "$jdir"
  before="$(psql_db -tAc "SELECT count(*) FROM audit_log WHERE key_id = '$KEY_ID'")"
  GeoRisk__Audit__JournalDirectory="$jdir" GeoRisk__Audit__JournalFsync="$sync" start_api_cached
  wrk -t2 -c32 -d"${BENCH_WARMUP_SECONDS:-5}s" -H "$AUTH" -H 'Accept-Encoding: gzip' "http://127.0.0.1:$API_PORT$url" >/dev/null   # warm-up (JIT)
  read -r api_rps api_p50 <<<"$(wrk_checked "http://127.0.0.1:$API_PORT$url" "$gz_size" 'Accept-Encoding: gzip')"
  api_ok="$(cat "$WORK/last_ok")"
  read -r nginx_rps nginx_p50 <<<"$(wrk_checked "http://127.0.0.1:$NGINX_PORT$url" "$gz_size" 'Accept-Encoding: gzip')"
  stop_api
  after="$(psql_db -tAc "SELECT count(*) FROM audit_log WHERE key_id = '$KEY_ID'")"
  doubled="$(psql_db -tAc "SELECT count(*) - count(DISTINCT request_id) FROM audit_log WHERE key_id = '$KEY_ID' AND request_id IS NOT NULL")"
  [ $((after - before)) -ge "$api_ok" ] || die "journal fsync=$sync: $api_ok checked answers but only $((after - before)) audit rows"
  [ "$doubled" = 0 ] || die "journal fsync=$sync: $doubled audit rows doubled"
  ! ls "$jdir"/audit-*.jnl >/dev/null 2>&1 || die "journal fsync=$sync: segments left after a graceful stop"
  printf '(c) gzip journal fsync=%-5s: api %.0f req/s (p50 %s ms), nginx %.0f req/s (p50 %s ms), ratio %.2f (target >= 0.5); %d audit rows for %d checked answers, none doubled; load average %s\n' \
    "$sync" "$api_rps" "$api_p50" "$nginx_rps" "$nginx_p50" "$(echo "$api_rps / $nginx_rps" | bc -l)" "$((after - before))" "$api_ok" "$(cut -d' ' -f1 /proc/loadavg)"
done

fi

# ---------------------------------------------------------------- (e): MapServer peer
if want e; then
# MapServer 8 (Debian mapserver-bin/cgi-mapserver) as FastCGI processes (spawn-fcgi) behind
# nginx, rendering MVT from the same tables with the same SELECTs (a mapfile written here),
# against the API with its tile cache off (every request renders; key check and audit row
# included). Latency: requests alternate between the two, median of $REQUESTS each. Throughput:
# wrk -t2 -c8 for $DURATION s, every answer checked (200 and the size of that side's first answer).
MS_PORT="${BENCH_MAPSERVER_PORT:-5593}"; MS_FCGI_PORT="${BENCH_MAPSERVER_FCGI_PORT:-5594}"
MS="$WORK/mapserver"; mkdir -p "$MS/tmp"
PGCONN="host=127.0.0.1 port=$PG_PORT dbname=$DB user=$PG_USER password=$PG_PASSWORD"
cat >"$MS/georisk.map" <<MAPFILE
MAP
  NAME "georisk"
  EXTENT -20037508.342789244 -20037508.342789244 20037508.342789244 20037508.342789244
  SIZE 256 256
  UNITS METERS
  PROJECTION "init=epsg:3857" END
  OUTPUTFORMAT NAME "mvt" DRIVER MVT FORMATOPTION "EXTENT=4096" FORMATOPTION "EDGE_BUFFER=64" END
  LAYER
    NAME "areas"
    TYPE POLYGON
    STATUS ON
    CONNECTIONTYPE POSTGIS
    CONNECTION "$PGCONN"
    # tile_areas without the MVT encoding: current areas with their newest score.
    DATA "geom_3857 from (SELECT a.id, a.code, a.name, a.kind, l.score, l.profile, l.reference_date, coalesce(l.flagged, false) AS flagged, a.geom_3857 FROM area a LEFT JOIN LATERAL (SELECT round(s.score::numeric, 1)::float8 AS score, s.profile_name || ':' || s.profile_version AS profile, s.reference_date::text AS reference_date, coalesce((s.flags ->> 'kandidaat')::boolean, false) AS flagged FROM score s WHERE s.area_id = a.id ORDER BY s.reference_date DESC, s.profile_version DESC, s.computed_at DESC LIMIT 1) l ON true WHERE a.valid_to IS NULL) AS t USING UNIQUE id USING SRID=3857"
    PROJECTION "init=epsg:3857" END
    METADATA "gml_include_items" "all" "gml_types" "auto" END
    CLASS STYLE END END
  END
  LAYER
    NAME "signals"
    TYPE POINT
    STATUS ON
    CONNECTIONTYPE POSTGIS
    CONNECTION "$PGCONN"
    # tile_signals's point attributes (one point per signal; MapServer does not cluster).
    DATA "geom_3857 from (SELECT s.id, s.category, to_char(s.observed_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM') AS month, round(s.reliability::numeric, 2)::float8 AS reliability, s.precision, s.geom_3857 FROM signal s) AS t USING UNIQUE id USING SRID=3857"
    PROJECTION "init=epsg:3857" END
    METADATA "gml_include_items" "all" "gml_types" "auto" END
    CLASS STYLE END END
  END
END
MAPFILE
printf 'CONFIG\n  ENV\n    MS_MAPFILE "%s"\n  END\nEND\n' "$MS/georisk.map" >"$MS/mapserver.conf"
# As many FastCGI processes as wrk opens connections, each with its own PostgreSQL connection.
MAPSERVER_CONFIG_FILE="$MS/mapserver.conf" spawn-fcgi -a 127.0.0.1 -p "$MS_FCGI_PORT" -F 8 -P "$MS/fcgi.pid" -- /usr/bin/mapserv >/dev/null
cat >"$MS/nginx.conf" <<CONF
worker_processes 2;
pid $MS/nginx.pid;
error_log $MS/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $MS/tmp; proxy_temp_path $MS/tmp; fastcgi_temp_path $MS/tmp; uwsgi_temp_path $MS/tmp; scgi_temp_path $MS/tmp;
  server {
    listen 127.0.0.1:$MS_PORT;
    location /ms { include /etc/nginx/fastcgi_params; fastcgi_pass 127.0.0.1:$MS_FCGI_PORT; }
  }
}
CONF
nginx -c "$MS/nginx.conf" -g 'daemon off;' &
PIDS+=("$!")
stop_mapserver() { [ -f "$MS/fcgi.pid" ] && xargs kill <"$MS/fcgi.pid" 2>/dev/null || true; }
trap 'cleanup; stop_mapserver' EXIT
GeoRisk__Access__PermitsPerWindow=1000000000 start_api false "$WORK/cache-off"
ms_url() { echo "http://127.0.0.1:$MS_PORT/ms?mode=tile&tilemode=gmap&tile=$3+$4+$2&layers=$1&map.imagetype=mvt"; }
api_url() { echo "http://127.0.0.1:$API_PORT/tiles/$1/$2/$3/$4.mvt"; }
# Median latency of alternating requests; dies on any answer that is not a non-empty 200.
latency_pair() { # layer z x y; prints "api <median ms> <bytes>" and "ms <median ms> <bytes>"
  local a b out side
  a="$(api_url "$@")"; b="$(ms_url "$@")"
  : >"$MS/api.times"; : >"$MS/ms.times"
  for i in $(seq 1 $((REQUESTS + 3))); do
    for side in api ms; do
      if [ "$side" = api ]; then out="$(curl -s -H "$AUTH" -o "$MS/$side.body" -w '%{http_code} %{time_total}' "$a")"
      else out="$(curl -s -o "$MS/$side.body" -w '%{http_code} %{time_total}' "$b")"; fi
      [ "${out%% *}" = 200 ] && [ -s "$MS/$side.body" ] || die "$side $1/$2/$3/$4: answer ${out%% *}"
      if [ "$i" -gt 3 ]; then echo "${out#* }" >>"$MS/$side.times"; fi   # 3 warm-up rounds
    done
  done
  for side in api ms; do
    echo "$side $(sort -g "$MS/$side.times" | awk '{ v[NR] = $1 * 1000 } END { printf "%.2f", v[int((NR + 1) / 2)] }') $(stat -c %s "$MS/$side.body")"
  done
}
printf '\n(e) cold tiles against MapServer 8 (FastCGI x8 behind nginx, same tables, same SELECTs); latency median of %s alternating, throughput wrk -t2 -c8 %ss, every answer checked\n' "$REQUESTS" "$DURATION"
for spec in "signals $first" "areas 10/525/336"; do
  read -r layer tile <<<"$spec"; IFS=/ read -r tz tx ty <<<"$tile"
  lat="$(latency_pair "$layer" "$tz" "$tx" "$ty")"
  read -r _ api_ms api_bytes <<<"$(grep '^api' <<<"$lat")"; read -r _ ms_ms ms_bytes <<<"$(grep '^ms' <<<"$lat")"
  read -r api_rps _ <<<"$(wrk_checked_c8 "$(api_url "$layer" "$tz" "$tx" "$ty")" "$api_bytes" "")"
  read -r ms_rps _ <<<"$(wrk_checked_c8 "$(ms_url "$layer" "$tz" "$tx" "$ty")" "$ms_bytes" "")"
  printf '(e) %-8s %-14s latency api %6.2f ms (%s B), mapserver %6.2f ms (%s B), ratio %.2f (target < 1) | throughput api %.0f req/s, mapserver %.0f req/s, ratio %.2f (target > 1)\n' \
    "$layer" "$tz/$tx/$ty" "$api_ms" "$api_bytes" "$ms_ms" "$ms_bytes" "$(echo "$api_ms / $ms_ms" | bc -l)" \
    "$api_rps" "$ms_rps" "$(echo "$api_rps / $ms_rps" | bc -l)"
done
stop_api
stop_mapserver

fi

# ---------------------------------------------------------------- (d): raster vs Mapnik
if want d; then
# 2,000 hexagons of 100 m around the Dam in EPSG:3857 with a score-like value, as CSV (wkt,value).
psql_db -tA -F, -o "$WORK/features.csv" -c "
  SELECT '\"' || ST_AsText(ST_Transform(hex_polygon(100, q, r), 3857)) || '\"', (q * 7 + r * 13) % 100
  FROM generate_series(800, 844) AS q, generate_series(2390, 2434) AS r LIMIT 2000"
sed -i '1i wkt,value' "$WORK/features.csv"
cat >"$WORK/mapnik_bench.py" <<'PY'
import sys, time, mapnik
csv, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
MERC = '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs'
m = mapnik.Map(256, 256, MERC)
style = mapnik.Style()
# The same stepped ramp, fill opacity and outline as tiles/styles/areas.json.
for lo, hi, colour in [(0, 20, '#ffffb2'), (20, 40, '#fecc5c'), (40, 60, '#fd8d3c'), (60, 80, '#f03b20'), (80, 101, '#bd0026')]:
    rule = mapnik.Rule()
    rule.filter = mapnik.Expression('[value] >= %d and [value] < %d' % (lo, hi))
    fill = mapnik.PolygonSymbolizer(); fill.fill = mapnik.Color(colour); fill.fill_opacity = 0.75
    line = mapnik.LineSymbolizer(); line.stroke = mapnik.Color('#404040'); line.stroke_width = 0.8
    rule.symbols.append(fill); rule.symbols.append(line)
    style.rules.append(rule)
m.append_style('areas', style)
layer = mapnik.Layer('areas', MERC)
layer.datasource = mapnik.CSV(file=csv)
layer.styles.append('areas')
m.layers.append(layer)
env = layer.envelope()
side = max(env.width(), env.height())
m.zoom_to_box(mapnik.Box2d(env.minx, env.maxy - side, env.minx + side, env.maxy))
times = []
for i in range(n + 20):
    t = time.perf_counter()
    im = mapnik.Image(256, 256)
    mapnik.render(m, im)
    png = im.tostring('png')
    if i >= 20: times.append((time.perf_counter() - t) * 1000)
times.sort()
open(out, 'wb').write(png)
print('features=%d median_ms=%.3f p90_ms=%.3f png_bytes=%d' % (sum(1 for _ in open(csv)) - 1, times[len(times) // 2], times[int(len(times) * 0.9)], len(png)))
PY
# Three alternating rounds of 100 renders each side, so that both see the same machine load;
# the figure is the median of the three round medians.
printf '\n(d) raster tile of 2,000 polygons, GeoRisk/cairo vs Mapnik, 3 alternating rounds of 100 renders\n'
ours_all=(); theirs_all=()
for round in 1 2 3; do
  ours="$(georisk_cli tiles bench-render --input "$WORK/features.csv" --iterations 100 --output "$WORK/ours.png")"
  theirs="$(/usr/bin/python3 "$WORK/mapnik_bench.py" "$WORK/features.csv" "$WORK/mapnik.png" 100)"
  echo "    round $round: georisk/cairo $ours | mapnik $theirs"
  ours_all+=("$(sed -E 's/.*median_ms=([0-9.]+).*/\1/' <<<"$ours")")
  theirs_all+=("$(sed -E 's/.*median_ms=([0-9.]+).*/\1/' <<<"$theirs")")
done
mid() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
ours_ms="$(mid "${ours_all[@]}")"; mapnik_ms="$(mid "${theirs_all[@]}")"
printf '(d) raster tile of 2,000 polygons (fill, outline, PNG): georisk/cairo %s ms, mapnik %s ms, ratio %.2f (target <= 1.0); images in %s\n' \
  "$ours_ms" "$mapnik_ms" "$(echo "$ours_ms / $mapnik_ms" | bc -l)" "$WORK"
fi
