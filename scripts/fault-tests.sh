#!/usr/bin/env bash
# Issue 7's fault tests, each with its parts in separate processes: the processor killed with SIGKILL mid-run,
# the broker killed and restarted in place, and the PACS stopped for five minutes (too long for the normal suite,
# so only here). Their output is kept in app/fault-results/: last-run-output.txt (Maven's and the tests' output) and
# figures.txt (one line per fault). About 20 minutes on a 2-core machine.
#
#   scripts/fault-tests.sh                                   all three
#   FAULT_TESTS=PacsOutageFaultTest scripts/fault-tests.sh    one of them
#   PAIRS=10 OUTAGE_SECONDS=60 scripts/fault-tests.sh         a quick try (keep only full runs' results)
#   FAULT_RESULTS=DIR ...                                     keep the output in DIR instead
# The app and the modules it uses are compiled in this reactor run (nothing is installed), so the tests run on
# this tree's code whatever the local Maven repository holds.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/runtime-env.sh
tests="${FAULT_TESTS:-ProcessorKillFaultTest,BrokerRestartFaultTest,PacsOutageFaultTest}"
out="${FAULT_RESULTS:-app/fault-results}"
mkdir -p "$out" app/target
log=app/target/fault-tests.log
set +e
{
  echo "# scripts/fault-tests.sh: $tests, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  start=$(date +%s)
  status=0
  mvn -B -o -pl app -am test-compile surefire:test -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dneurostream.faults.long=true \
    -Dneurostream.faults.pairs="${PAIRS:-100}" \
    -Dneurostream.faults.pacs-outage-seconds="${OUTAGE_SECONDS:-300}" || status=$?
  echo "# fault tests finished in $(( $(date +%s) - start )) s with exit status $status"
  exit $status
} 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# Kept: everything but the test JVM's own INFO/DEBUG lines (ingest logs every instance of 16,000); the services'
# logs are in each test's temporary folder, kept when the test fails.
grep -vE '^\[[^]]*\] (TRACE|DEBUG|INFO) ' "$log" > "$out/last-run-output.txt" || true
{
  head -1 "$log"
  grep -E '^fault |Tests run:.*Fault|^# fault tests finished' "$log" || true
} > "$out/figures.txt"
echo "kept: $out/last-run-output.txt, $out/figures.txt (full log: $log)"
exit "$status"
