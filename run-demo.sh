#!/usr/bin/env bash
# The all-in-one demo: installs what is missing, builds, then runs every service on an embedded Kafka broker
# with a local Orthanc as the PACS, sends a synthetic cohort by C-STORE and prints the results.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
exec scripts/neurostream demo "$@"
