#!/bin/sh
# The scale-out profile's read replica: on first start a base backup of the primary that streams
# from it (-R writes primary_conninfo and standby.signal); afterwards PostgreSQL as a hot standby.
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  export PGPASSWORD="$POSTGRES_PASSWORD"
  pg_basebackup -h db -U georisk -D "$PGDATA" -R -X stream --checkpoint=fast
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on
