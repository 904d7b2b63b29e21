#!/usr/bin/env bash
# Stops the API started by run.sh and the project-local PostgreSQL cluster.
source "$(dirname "$0")/lib.sh"
if [ -f "$DATA_DIR/api.pid" ]; then
  pid="$(cat "$DATA_DIR/api.pid")"
  if kill -0 "$pid" 2>/dev/null; then log "stopping the API (pid $pid)"; kill "$pid"; fi
  rm -f "$DATA_DIR/api.pid"
fi
stop_cluster
