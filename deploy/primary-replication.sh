#!/bin/sh
# Runs once when the primary's data directory is created (docker-entrypoint-initdb.d): lets the
# replica of the scale-out profile stream from it with the georisk role's password.
set -e
echo "host replication georisk all scram-sha-256" >> "$PGDATA/pg_hba.conf"
