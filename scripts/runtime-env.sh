# Environment every NeuroStream JVM runs with (sourced by run-demo.sh and run-tests.sh).
# DJL must never reach the network (DESIGN.md); oneDNN makes TensorFlow's CPU Conv3D 10-20x faster and is read
# by native code, so it has to be a real environment variable; TCP_NODELAY=1 speeds up DCMTK and Orthanc ~10x.
export DJL_OFFLINE=true
export OPT_OUT_TRACKING=true
export TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS:-1}" # 0 only to measure without oneDNN
export TF_CPP_MIN_LOG_LEVEL=1
export TCP_NODELAY=1
export TENSORFLOW_LIBRARY_PATH="${TENSORFLOW_LIBRARY_PATH:-${NEUROSTREAM_HOME:-$HOME/.neurostream}/tensorflow-2.16.1}"
