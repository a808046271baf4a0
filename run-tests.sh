#!/usr/bin/env bash
# The whole test suite: installs what is missing (apt packages, PixelMed, TensorFlow native libraries), then
# runs every module's tests, including the end-to-end test with a real broker, Orthanc, DCMTK and TensorFlow.
set -euo pipefail
cd "$(dirname "$0")"
NEUROSTREAM_SKIP_BUILD=1 bash scripts/setup.sh
source scripts/runtime-env.sh
exec mvn -B install "$@"
