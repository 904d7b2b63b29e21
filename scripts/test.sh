#!/usr/bin/env bash
# Runs the whole test suite against the project-local PostGIS (separate test databases)
# and ends with one line "N passed, N failed". Exits non-zero on any failure.
source "$(dirname "$0")/lib.sh"

ensure_runtime_packages
# The browser test drives Debian's chromium; PDF tests read factsheets with pdftotext.
ensure_packages chromium poppler-utils
# GIS clients that read the OGC API in the tests, and the compose file check; the wijkscan
# comparison test checks its p-values against SciPy, the gelegenheidskaart regression its fit
# against statsmodels (both from Debian, run by /usr/bin/python3).
ensure_packages gdal-bin docker-compose python3-scipy python3-statsmodels python3-qgis python3-jsonschema
# The scale-out test puts nginx in front of two API processes on a primary and a streaming replica.
ensure_packages nginx
ensure_cluster
ensure_app_role
build_solution

# georisk_test: migrated + demo seed, read by tests that never change it.
# georisk_template: migrated, empty; tests clone it into a database of their own.
# GEORISK_TEST_DB_PREFIX lets parallel checkouts share one cluster without sharing databases.
PREFIX="${GEORISK_TEST_DB_PREFIX:-georisk}"
log "preparing test databases ${PREFIX}_test and ${PREFIX}_template"
recreate_database "${PREFIX}_template"
GEORISK_DB="$(connection_string "${PREFIX}_template")" georisk_cli db migrate >/dev/null
# georisk_test starts as a copy of the migrated template, then gets the demo seed.
drop_database "${PREFIX}_test"
psql_admin postgres -c "CREATE DATABASE \"${PREFIX}_test\" TEMPLATE \"${PREFIX}_template\""
GEORISK_DB="$(connection_string "${PREFIX}_test")" georisk_cli seed-demo >/dev/null
# A template may not have open connections while it is cloned.
psql_admin postgres -c "ALTER DATABASE \"${PREFIX}_template\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"

export GEORISK_TEST_DB GEORISK_TEMPLATE_DB GEORISK_ADMIN_DB GEORISK_TEST_APP_USER GEORISK_TEST_APP_PASSWORD
# The API under test logs in as the unprivileged application role, as in production.
GEORISK_TEST_APP_USER="$APP_USER"
GEORISK_TEST_APP_PASSWORD="$APP_PASSWORD"
GEORISK_TEST_DB="$(connection_string "${PREFIX}_test")"
GEORISK_TEMPLATE_DB="${PREFIX}_template"
GEORISK_ADMIN_DB="$(connection_string postgres)"
RESULTS="$DATA_DIR/test-results"; rm -rf "$RESULTS"; mkdir -p "$RESULTS"

status=0
declare -A exit_code
for project in tests/GeoRisk.UnitTests tests/GeoRisk.IntegrationTests; do
  name="$(basename "$project")"
  log "dotnet test $name"
  dotnet test "$REPO_ROOT/$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$RESULTS" 2>&1 | tee "$RESULTS/$name.log" | grep -E "^\s+(Failed|Passed|Skipped) |error|Error Message" | grep -v "^\s*Passed " || true
  exit_code[$name]="${PIPESTATUS[0]}"
  [ "${exit_code[$name]}" -eq 0 ] || status=1
done

passed=0; failed=0; total=0
for project in tests/GeoRisk.UnitTests tests/GeoRisk.IntegrationTests; do
  trx="$RESULTS/$(basename "$project").trx"
  # A test host that crashed leaves no results: that is a failure, not zero tests.
  [ -f "$trx" ] || { echo "no results from $(basename "$project")"; failed=$((failed + 1)); continue; }
  counters="$(grep -o '<Counters [^>]*>' "$trx")"
  p="$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")"
  f="$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")"
  t="$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")"
  passed=$((passed + p)); failed=$((failed + f)); total=$((total + t))
  name="$(basename "$project")"
  # A host that crashed during discovery reports zero tests, or fewer failures than its exit code says.
  if [ "$t" -eq 0 ]; then echo "no tests ran in $name"; failed=$((failed + 1)); fi
  if [ "${exit_code[$name]}" -ne 0 ] && [ "$f" -eq 0 ] && [ "$t" -eq "$p" ]; then
    echo "dotnet test $name exited with ${exit_code[$name]} although no test failed (host crash?)"; failed=$((failed + 1))
  fi
done
# Tests that did not run (skipped, crashed host) count as failed: a green line must mean every test ran.
notrun=$((total - passed - failed))
failed=$((failed + notrun))
[ "$total" -gt 0 ] || { failed=$((failed + 1)); echo "no tests ran"; }
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status
