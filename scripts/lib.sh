# Shared by run.sh, test.sh, stop.sh and bench.sh: packages, the project-local PostgreSQL
# cluster and the databases on it. Source it; do not run it.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="$REPO_ROOT/.data"
PG_PORT="${GEORISK_PG_PORT:-55432}"
PG_USER="georisk"
# Development-only password of a loopback-only cluster; production sets GEORISK_DB itself.
PG_PASSWORD="${GEORISK_PG_PASSWORD:-georisk-dev}"
PG_BIN="/usr/lib/postgresql/15/bin"

mkdir -p "$DATA_DIR"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31mfout:\033[0m %s\n' "$*" >&2; exit 1; }

connection_string() { # database name
  echo "Host=127.0.0.1;Port=$PG_PORT;Username=$PG_USER;Password=$PG_PASSWORD;Database=$1"
}

# The API logs in as APP_USER, a member of georisk_app (sql/1501_app_role.sql): not a superuser,
# owns nothing, may only INSERT and SELECT the audit log. Migrations and seeds run as PG_USER.
APP_USER="${GEORISK_APP_USER:-georisk_api}"
# Development-only password, like PG_PASSWORD; production creates its own role (docs/access.md).
APP_PASSWORD="${GEORISK_APP_PASSWORD:-georisk-api-dev}"

app_connection_string() { # database name
  echo "Host=127.0.0.1;Port=$PG_PORT;Username=$APP_USER;Password=$APP_PASSWORD;Database=$1"
}

# Creates the group role and the API's login role once per cluster (roles are cluster-wide;
# several checkouts may run this at the same time, so "already exists" is not an error).
ensure_app_role() {
  psql_admin postgres -v app_user="$APP_USER" -v app_password="$APP_PASSWORD" >/dev/null <<'SQL'
SELECT set_config('georisk.app_user', :'app_user', false), set_config('georisk.app_password', :'app_password', false);
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'georisk_app') THEN
        CREATE ROLE georisk_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
DO $$
DECLARE
    u text := current_setting('georisk.app_user');
    p text := current_setting('georisk.app_password');
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = u) THEN
        EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD %L IN ROLE georisk_app', u, p);
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
SQL
}

# Installs the Debian packages that are missing, in one apt-get call. Arguments: package names.
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}); run as root or install them first"
  log "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >"$DATA_DIR/apt.log" 2>&1 || { tail -20 "$DATA_DIR/apt.log"; die "apt-get update failed"; }
  apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$DATA_DIR/apt.log" 2>&1 \
    || { tail -20 "$DATA_DIR/apt.log"; die "apt-get install failed (log: $DATA_DIR/apt.log)"; }
}

# Node may come from elsewhere than Debian (a newer nodejs conflicts with Debian's npm):
# a working node + npm on PATH is enough.
ensure_node() {
  if command -v node >/dev/null && command -v npm >/dev/null; then return 0; fi
  ensure_packages nodejs npm
}

ensure_runtime_packages() {
  ensure_packages postgresql-15 postgresql-15-postgis-3 libcairo2 fonts-dejavu-core
  ensure_node
}

# The cluster runs as the postgres user: initdb refuses root. That user must reach every
# parent directory of the data directory; a checkout under a mode-700 /root cannot be used,
# so then the cluster lives under /var/lib/georisk/<hash of the checkout path>.
pg_data_dir() {
  if [ -n "${GEORISK_PG_DATA:-}" ]; then echo "$GEORISK_PG_DATA"; return; fi
  if runuser -u postgres -- test -x "$DATA_DIR" 2>/dev/null; then
    echo "$DATA_DIR/pg"
  else
    echo "/var/lib/georisk/$(echo -n "$REPO_ROOT" | sha1sum | cut -c1-12)/pg"
  fi
}

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_is_up() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

ensure_cluster() {
  local pgdata; pgdata="$(pg_data_dir)"
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    log "creating PostgreSQL cluster in $pgdata (port $PG_PORT, loopback only)"
    mkdir -p "$pgdata"
    [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$(dirname "$pgdata")"
    chmod 700 "$pgdata"
    local pwfile; pwfile="$(mktemp)"; echo "$PG_PASSWORD" >"$pwfile"; chmod 644 "$pwfile"
    as_postgres "$PG_BIN/initdb" -D "$pgdata" -U "$PG_USER" --pwfile="$pwfile" \
      --auth-host=scram-sha-256 --auth-local=peer -E UTF8 --locale=C.UTF-8 >"$DATA_DIR/initdb.log" 2>&1 \
      || { rm -f "$pwfile"; cat "$DATA_DIR/initdb.log"; die "initdb failed"; }
    rm -f "$pwfile"
    cat >>"$pgdata/postgresql.conf" <<CONF
# GeoRisk project-local cluster
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$pgdata'
# JIT added 150-300 ms to tile queries here.
jit = off
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 256MB
max_connections = 200
fsync = ${GEORISK_PG_FSYNC:-on}
synchronous_commit = off
CONF
  fi
  if ! pg_is_up; then
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_postgres "$PG_BIN/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 start >/dev/null \
      || { tail -20 "$pgdata/server.log"; die "PostgreSQL did not start (log: $pgdata/server.log)"; }
  fi
}

stop_cluster() {
  local pgdata; pgdata="$(pg_data_dir)"
  if [ -f "$pgdata/postmaster.pid" ]; then
    log "stopping PostgreSQL"
    as_postgres "$PG_BIN/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null || true
  fi
}

psql_admin() { # database, then psql arguments
  local db="$1"; shift
  PGPASSWORD="$PG_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$db" "$@"
}

ensure_database() { # name
  if ! psql_admin postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; then
    log "creating database $1"
    psql_admin postgres -c "CREATE DATABASE \"$1\""
  fi
}

drop_database() { # name; a template database must stop being one before it can be dropped
  if psql_admin postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; then
    psql_admin postgres -c "ALTER DATABASE \"$1\" WITH IS_TEMPLATE false ALLOW_CONNECTIONS true" \
      -c "DROP DATABASE \"$1\" WITH (FORCE)"
  fi
}

recreate_database() { # name
  drop_database "$1"
  psql_admin postgres -c "CREATE DATABASE \"$1\""
}

build_solution() {
  ensure_node # the API's build runs `npm ci` for the web map's MapLibre (docs/webmap.md)
  log "building (Release)"
  dotnet build "$REPO_ROOT/GeoRisk.sln" -c Release -nologo -v quiet -clp:ErrorsOnly >"$DATA_DIR/build.log" 2>&1 \
    || { cat "$DATA_DIR/build.log"; die "build failed"; }
}

georisk_cli() { dotnet "$REPO_ROOT/src/GeoRisk.Cli/bin/Release/net10.0/georisk.dll" "$@"; }
