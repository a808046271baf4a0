#!/usr/bin/env bash
# The long fuzz run: every Jazzer target in module fuzz/ in fuzzing mode for DURATION each (one JVM per target,
# one after the other), output kept in fuzz/results/<UTC date>-<DURATION>.txt. A finding fails the run and is
# saved under fuzz/src/test/resources/<package>/<Class>Inputs/<method>/ (crash-*, timeout-*), where the normal
# test run then replays it.
#   scripts/fuzz.sh            # 2m per target (10 minutes for the five targets)
#   scripts/fuzz.sh 10m        # 10 minutes per target
#   scripts/fuzz.sh 30s EventSerdeFuzzTest   # one target
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-2m}"
TARGETS="${2:-}"
source scripts/runtime-env.sh
mkdir -p fuzz/results
OUT="fuzz/results/$(date -u +%Y%m%d-%H%M)-${DURATION}.txt"
{
  echo "# scripts/fuzz.sh ${DURATION}${TARGETS:+ ${TARGETS}}"
  echo "# started $(date -u +%FT%TZ) on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
} | tee "$OUT"
# The code under test comes from the installed snapshots (mvn install of schemas, imaging, ingest...). Fuzz a private
# copy of them: a long run must not load half-written jars while someone installs a module again.
SNAPSHOT="$PWD/fuzz/target/fuzz-snapshot"
rm -rf "$SNAPSHOT"
mvn -B -q -o -pl fuzz dependency:copy-dependencies -DincludeGroupIds=org.neurostream -DoutputDirectory="$SNAPSHOT"
for jar in "$SNAPSHOT"/*.jar; do
  unzip -tqq "$jar" >/dev/null || { echo "damaged jar $jar (being installed?): run again" | tee -a "$OUT"; exit 1; }
done
EXCLUDES=$(cd "$SNAPSHOT" && ls *.jar | sed -E 's/^(.*)-[0-9][^-]*(-SNAPSHOT)?\.jar$/org.neurostream:\1/' | paste -sd, -)
set +e
mvn -B -o -pl fuzz test -Dfuzz.fuzzing=1 -Dfuzz.duration="$DURATION" ${TARGETS:+-Dtest="$TARGETS"} \
  -Dmaven.test.dependency.excludes="$EXCLUDES" -Dmaven.test.additionalClasspath="$(ls "$SNAPSHOT"/*.jar | paste -sd, -)" \
  2>&1 | grep -av '^INFO: Instrumented ' | tee -a "$OUT"
STATUS=${PIPESTATUS[0]}
set -e
{
  echo
  echo "# summary (executions per target from libFuzzer's final stats)"
  awk '/^\[INFO\] Running org\.neurostream/ {t=$3} /^stat::number_of_executed_units:/ {print "#   " t ": " $2 " executions"}
       /^#[0-9]+[ \t]+DONE/ {print "#   " t ": " $0}' "$OUT"
  echo "# finished $(date -u +%FT%TZ), maven exit status ${STATUS}"
} | tee -a "$OUT"
exit "$STATUS"
