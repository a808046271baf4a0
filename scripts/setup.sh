#!/usr/bin/env bash
# Installs everything NeuroStream needs on a fresh Debian machine, then builds it.
# Idempotent: each step checks whether its work is already done. Called by run-demo.sh and run-tests.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

NS_HOME="${NEUROSTREAM_HOME:-$HOME/.neurostream}"
TF_DIR="$NS_HOME/tensorflow-2.16.1"
PIXELMED_VERSION=20220618
M2="${MAVEN_REPO:-$HOME/.m2/repository}"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

step() { echo "[setup] $*"; }

# 1. Debian packages: DICOM peers (DCMTK, Orthanc as the PACS, dicom3tools' validator), PixelMed, Colin27.
need_apt=()
command -v storescu >/dev/null || need_apt+=(dcmtk)
command -v Orthanc >/dev/null || need_apt+=(orthanc)
[ -f /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] || need_apt+=(orthanc-dicomweb)
command -v dciodvfy >/dev/null || need_apt+=(dicom3tools)
[ -f /usr/share/java/pixelmed.jar ] || need_apt+=(libpixelmed-java)
command -v unzip >/dev/null || need_apt+=(unzip)
[ -f /usr/share/mricron/templates/ch2.nii.gz ] || need_apt+=(mricron-data)
# Operations checks: promtool and a real Prometheus to scrape /metrics; headless Chromium for the status page.
command -v promtool >/dev/null || need_apt+=(prometheus)
command -v chromium >/dev/null || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  step "installing Debian packages: ${need_apt[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need_apt[@]}"
fi
# Debian starts an Orthanc service on install; the project runs its own instances, so stop the system one.
if command -v systemctl >/dev/null && systemctl is-active --quiet orthanc 2>/dev/null; then $SUDO systemctl stop orthanc || true; fi
if [ -x /etc/init.d/orthanc ] && pgrep -x Orthanc >/dev/null; then $SUDO /etc/init.d/orthanc stop >/dev/null 2>&1 || true; fi

# 2. PixelMed into the local Maven repository. Its Debian manifest has a Class-Path that would drag Debian's
#    slf4j 1.7 binding and other jars in behind Maven's back, so the copy we install has that line removed.
if [ ! -f "$M2/com/pixelmed/pixelmed/$PIXELMED_VERSION/pixelmed-$PIXELMED_VERSION.jar" ]; then
  step "installing PixelMed $PIXELMED_VERSION (from Debian) into the Maven repository"
  tmp=$(mktemp -d)
  (cd "$tmp" && mkdir x && cd x && unzip -q /usr/share/java/pixelmed.jar \
     && grep -v -E '^(Class-Path:| )' META-INF/MANIFEST.MF > ../MANIFEST.MF && rm META-INF/MANIFEST.MF \
     && jar cfm ../pixelmed.jar ../MANIFEST.MF .)
  mvn -q -B install:install-file -Dfile="$tmp/pixelmed.jar" -DgroupId=com.pixelmed -DartifactId=pixelmed \
      -Dversion=$PIXELMED_VERSION -Dpackaging=jar -DgeneratePom=true
  rm -rf "$tmp"
fi

# 3. TensorFlow 2.16.1 native libraries. The only build on Maven Central is DJL's CUDA 12.1 jar; DJL refuses it on
#    a machine without a GPU and would try its CDN instead, so we extract the libraries once and point
#    TENSORFLOW_LIBRARY_PATH at them (the same files use a GPU where CUDA 12 + cuDNN are present).
if [ ! -f "$TF_DIR/libtensorflow_cc.so.2" ]; then
  step "extracting TensorFlow native libraries to $TF_DIR (a 485 MB download the first time)"
  mvn -q -B dependency:copy -Dartifact=ai.djl.tensorflow:tensorflow-native-cu121:2.16.1:jar:linux-x86_64 \
      -DoutputDirectory="$NS_HOME/download"
  mkdir -p "$TF_DIR.tmp"
  unzip -q -o -j "$NS_HOME/download/tensorflow-native-cu121-2.16.1-linux-x86_64.jar" 'native/lib/*' -d "$TF_DIR.tmp"
  rm -rf "$TF_DIR" && mv "$TF_DIR.tmp" "$TF_DIR" && rm -rf "$NS_HOME/download"
fi

# 4. The build itself (tests run separately, from run-tests.sh).
if [ "${NEUROSTREAM_SKIP_BUILD:-0}" != 1 ]; then
  step "building (mvn install -DskipTests)"
  mvn -q -B install -DskipTests
fi
step "ready"
